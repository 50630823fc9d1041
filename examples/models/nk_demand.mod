// nk_demand.mod -- small New Keynesian model with habit persistence, indexation and a demand shock.
// Variables are percent deviations from the steady state (quarterly). Written for govsim's
// examples; runs unchanged in Dynare (`dynare nk_demand.mod`) and in `govsim run nk_demand.mod`.
//   y  : output gap            pi : inflation            i : policy rate
//   d  : demand (preference) disturbance, AR(1)    u : cost-push disturbance, AR(1)
//   r  : real rate i - pi(+1) (a static variable)

var y pi i r d u;
varexo eps_d eps_u eps_i;

parameters beta sigma h kappa gamma_p phi_pi phi_y rho_i rho_d rho_u;

beta    = 0.99;
sigma   = 1.5;     // inverse elasticity of intertemporal substitution
h       = 0.6;     // habit persistence
kappa   = 0.05;    // slope of the Phillips curve
gamma_p = 0.3;     // price indexation
phi_pi  = 1.8;
phi_y   = 0.2;
rho_i   = 0.75;
rho_d   = 0.85;
rho_u   = 0.4;

model(linear);
  [name = 'IS curve with habits']
  y = h/(1+h)*y(-1) + 1/(1+h)*y(+1) - (1-h)/(sigma*(1+h))*r + d;
  [name = 'real rate']
  r = i - pi(+1);
  [name = 'Phillips curve with indexation']
  pi = gamma_p/(1+beta*gamma_p)*pi(-1) + beta/(1+beta*gamma_p)*pi(+1) + kappa*y + u;
  [name = 'Taylor rule']
  i = rho_i*i(-1) + (1-rho_i)*(phi_pi*pi + phi_y*y) + eps_i;
  [name = 'demand disturbance']
  d = rho_d*d(-1) + eps_d;
  [name = 'cost-push disturbance']
  u = rho_u*u(-1) + eps_u;
end;

shocks;
  var eps_d; stderr 0.5;
  var eps_u; stderr 0.2;
  var eps_i; stderr 0.1;
end;

steady;
check;

stoch_simul(order=1, irf=40, ar=4, nograph) y pi i r;
