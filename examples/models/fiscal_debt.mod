// Real business cycle model with a government: AR(1) government spending financed by a
// distortionary labour-income tax and one-period government debt, with a fiscal rule that
// raises the tax rate when debt is above target (Leeper 1991-style passive fiscal policy).
// Households hold capital and government bonds; the bond Euler equation prices the gross rate R.
var y c k inv l w r R g b tau a;
varexo e_a e_g;
parameters alpha beta delta sigma eta psi rho_a rho_g gy taubar phi_b
           r_ss kl_ss w_ss cl_ss l_ss gbar bbar;
alpha = 0.33; beta = 0.99; delta = 0.025; sigma = 1; eta = 1; psi = 4;
rho_a = 0.95; rho_g = 0.9; gy = 0.18; taubar = 0.3; phi_b = 0.05;
// steady state of the fiscal block, from the parameters above
r_ss  = 1/beta - 1 + delta;
kl_ss = (alpha/r_ss)^(1/(1-alpha));
w_ss  = (1-alpha)*kl_ss^alpha;
cl_ss = kl_ss^alpha*(1-gy) - delta*kl_ss;
l_ss  = ((1-taubar)*w_ss*cl_ss^(-sigma)/psi)^(1/(eta+sigma));
gbar  = gy*kl_ss^alpha*l_ss;
bbar  = (taubar*w_ss*l_ss - gbar)/(1/beta - 1);
model;
  [name='capital Euler']
  c^(-sigma) = beta*c(+1)^(-sigma)*(1 + r(+1) - delta);
  [name='bond Euler']
  c^(-sigma) = beta*c(+1)^(-sigma)*R;
  [name='labour supply']
  psi*l^eta = (1-tau)*w*c^(-sigma);
  y = exp(a)*k(-1)^alpha*l^(1-alpha);
  r = alpha*y/k(-1);
  w = (1-alpha)*y/l;
  k = (1-delta)*k(-1) + inv;
  [name='resource constraint']
  y = c + inv + g;
  [name='government budget']
  b = R(-1)*b(-1) + g - tau*w*l;
  log(g/gbar) = rho_g*log(g(-1)/gbar) + e_g;
  [name='fiscal rule']
  tau = taubar + phi_b*(b(-1) - bbar);
  a = rho_a*a(-1) + e_a;
end;
steady_state_model;
  a = 0;
  R = 1/beta;
  r = r_ss;
  w = w_ss;
  l = l_ss;
  k = kl_ss*l;
  y = kl_ss^alpha*l;
  inv = delta*k;
  g = gbar;
  c = y - inv - g;
  b = bbar;
  tau = taubar;
end;
shocks;
  var e_a; stderr 0.01;
  var e_g; stderr 0.01;
end;
steady;
check;
stoch_simul(order=1, irf=20, nograph);
