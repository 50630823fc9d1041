// New Keynesian model with capital (log-linearised around the steady state, all variables are
// log deviations): Calvo pricing (Phillips curve in real marginal cost), consumption Euler
// equation, Tobin's q with Smets-Wouters investment adjustment costs, rental rate and wage from
// cost minimisation, a Taylor rule with interest-rate smoothing, AR(1) technology.
var c q inv k y mc rk w n pi r a;
varexo e_a e_r;
parameters beta sigma eta alpha delta kappa phi_i rho_r phi_pi phi_y rho_a cy iy;
beta = 0.99; sigma = 1.5; eta = 2; alpha = 0.33; delta = 0.025; kappa = 0.05; phi_i = 4;
rho_r = 0.8; phi_pi = 1.5; phi_y = 0.125; rho_a = 0.95;
iy = delta*alpha/(1/beta - 1 + delta);
cy = 1 - iy;
model(linear);
  [name='Euler']
  c = c(+1) - (1/sigma)*(r - pi(+1));
  [name='Tobin q']
  q = beta*(1-delta)*q(+1) + (1 - beta*(1-delta))*rk(+1) - (r - pi(+1));
  [name='investment']
  inv = (1/(1+beta))*inv(-1) + (beta/(1+beta))*inv(+1) + (1/(phi_i*(1+beta)))*q;
  k = (1-delta)*k(-1) + delta*inv;
  y = a + alpha*k(-1) + (1-alpha)*n;
  mc = w - (y - n);
  rk = w + n - k(-1);
  w = sigma*c + eta*n;
  [name='Phillips curve']
  pi = beta*pi(+1) + kappa*mc;
  [name='Taylor rule']
  r = rho_r*r(-1) + (1-rho_r)*(phi_pi*pi + phi_y*y) + e_r;
  y = cy*c + iy*inv;
  a = rho_a*a(-1) + e_a;
end;
initval;
  c = 0; k = 0; y = 0; pi = 0; r = 0;
end;
shocks;
  var e_a; stderr 0.01;
  var e_r; stderr 0.0025;
end;
steady;
check;
stoch_simul(order=1, irf=20, nograph);
