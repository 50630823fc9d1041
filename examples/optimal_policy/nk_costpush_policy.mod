// Textbook New Keynesian model (Gali 2015, ch. 5) with an AR(1) cost-push shock, written without
// its interest-rate rule: the quadratic loss and the instrument define optimal policy under
// commitment and discretion; phi_pi and phi_x are the coefficients of a Taylor rule
// i = phi_pi*pi + phi_x*x (calibrated values as in the textbook) for comparisons.
var pi x i u;
varexo eu;
parameters beta kappa sigma alpha_x rho_u phi_pi phi_x;
beta = 0.99;
kappa = 0.1275;
sigma = 1;
alpha_x = 0.0213;
rho_u = 0.5;
phi_pi = 1.5;
phi_x = 0.125;
model(linear);
pi = beta*pi(+1) + kappa*x + u;
x = x(+1) - 1/sigma*(i - pi(+1));
u = rho_u*u(-1) + eu;
end;
shocks;
var eu; stderr 0.01;
end;
planner_objective pi^2 + alpha_x*x^2;
discretionary_policy(instruments=(i), planner_discount=0.99, irf=12, nograph);
