// Textbook real business cycle model (King, Plosser and Rebelo 1988; Hansen 1985) with CRRA
// consumption utility, elastic labour supply, Cobb-Douglas production and AR(1) productivity.
// Household: max E sum beta^t [c^(1-sigma)/(1-sigma) - psi*l^(1+eta)/(1+eta)].
var y c k i l r w z;
varexo e;
parameters alpha beta delta sigma eta psi rho;
alpha = 0.33; beta = 0.99; delta = 0.025; sigma = 2.0; eta = 1.0; psi = 5.0; rho = 0.95;
model;
  [name='Euler']
  c^(-sigma) = beta*c(+1)^(-sigma)*(r(+1) + 1 - delta);
  [name='labour supply']
  psi*l^eta = w*c^(-sigma);
  y = exp(z)*k(-1)^alpha*l^(1-alpha);
  r = alpha*y/k(-1);
  w = (1-alpha)*y/l;
  k = (1-delta)*k(-1) + i;
  y = c + i;
  z = rho*z(-1) + e;
end;
steady_state_model;
  z  = 0;
  r  = 1/beta - 1 + delta;
  kl = (alpha/r)^(1/(1-alpha));
  w  = (1-alpha)*kl^alpha;
  cl = kl^alpha - delta*kl;
  l  = (w*cl^(-sigma)/psi)^(1/(eta+sigma));
  k  = kl*l;
  y  = kl^alpha*l;
  i  = delta*k;
  c  = cl*l;
end;
shocks;
  var e; stderr 0.01;
end;
steady;
check;
stoch_simul(order=1, irf=20, nograph);
