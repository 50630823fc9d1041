// Textbook New Keynesian model (Gali 2015, ch. 5) with an AR(1) cost-push shock and a Taylor rule
// with a monetary policy shock, for conditional forecasts (paths of inflation and the output gap
// hit through the monetary and cost-push shocks).
var pi x i u;
varexo eu ei;
parameters beta kappa sigma rho_u phi_pi phi_x;
beta = 0.99;
kappa = 0.1275;
sigma = 1;
rho_u = 0.5;
phi_pi = 1.5;
phi_x = 0.125;
model(linear);
pi = beta*pi(+1) + kappa*x + u;
x = x(+1) - 1/sigma*(i - pi(+1));
u = rho_u*u(-1) + eu;
i = phi_pi*pi + phi_x*x + ei;
end;
shocks;
var eu; stderr 0.01;
var ei; stderr 0.0025;
end;
stoch_simul(order=1, irf=0, nograph, nomoments);
