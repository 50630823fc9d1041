// nk_est.mod -- the examples/models/nk_demand.mod New Keynesian model set up for estimation: output gap, inflation
// and the policy rate are observed (nk_est_data.csv: 120 quarters simulated from this model at the
// calibrated values, seed 7, by govsim's first-order simulation). Runs in Dynare
// (`dynare nk_est.mod`) and in govsim (`govsim run nk_est.mod`, or
// `gs.estimation.Estimator(m, data).mode()` from Python).

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

varobs y pi i;

estimated_params;
  phi_pi,       normal_pdf,    1.5,  0.25;
  phi_y,        gamma_pdf,     0.25, 0.1;
  rho_d,        beta_pdf,      0.7,  0.1;
  rho_u,        beta_pdf,      0.5,  0.15;
  stderr eps_d, inv_gamma_pdf, 0.5,  2;
  stderr eps_u, inv_gamma_pdf, 0.2,  2;
  stderr eps_i, inv_gamma_pdf, 0.1,  2;
end;

estimation(datafile='nk_est_data.csv', mode_compute=4, mh_replic=0, nograph);
