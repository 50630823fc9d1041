// New Keynesian model with longer leads and lags (2 to 4 periods): a Phillips curve with
// expectations two periods ahead, an IS curve with a 3-period-ahead output term, a Taylor rule
// on year-on-year (4-quarter) inflation, an AR(2) cost-push shock, a demand shock that hits with
// a one-quarter delay (lagged exogenous variable) and annual output growth in levels.
// The reader replaces the long leads and lags by auxiliary variables, as Dynare does.
var x pi i pi4 u ylev gy4;
varexo e_u e_d e_i;
parameters beta kappa sigma rho_i phi_pi phi_x rho_u1 rho_u2 ybar;
beta = 0.99; kappa = 0.1; sigma = 1; rho_i = 0.7; phi_pi = 1.5; phi_x = 0.25;
rho_u1 = 0.6; rho_u2 = 0.2; ybar = 2;
model;
  [name='Phillips curve']
  pi = beta*(0.7*pi(+1) + 0.3*pi(+2)) + kappa*x + u;
  [name='IS curve']
  x = 0.8*x(+1) + 0.2*x(+3) - (1/sigma)*(i - pi(+1)) + e_d(-1);
  [name='Taylor rule']
  i = rho_i*i(-1) + (1-rho_i)*(phi_pi*pi4 + phi_x*x) + e_i;
  pi4 = (pi + pi(-1) + pi(-2) + pi(-3))/4;
  u = rho_u1*u(-1) + rho_u2*u(-2) + e_u;
  ylev = ybar*exp(x);
  gy4 = log(ylev/ylev(-4));
end;
steady_state_model;
  x = 0; pi = 0; i = 0; pi4 = 0; u = 0;
  ylev = ybar;
  gy4 = 0;
end;
shocks;
  var e_u; stderr 0.01;
  var e_d; stderr 0.01;
  var e_i; stderr 0.0025;
end;
steady;
stoch_simul(order=1, irf=20, nograph);
