// Real business cycle model with external habit formation in consumption,
// u = log(c_t - h*c_{t-1}) - psi*l_t (indivisible labour, Hansen 1985), Cobb-Douglas production
// and AR(1) productivity. Solved from initval with `steady` (no closed form given).
var y c k l w lambda a;
varexo e;
parameters alpha beta delta h psi rho;
alpha = 0.36; beta = 0.99; delta = 0.025; h = 0.7; psi = 8.6; rho = 0.95;
model;
  [name='marginal utility']
  lambda = 1/(c - h*c(-1));
  [name='Euler']
  lambda = beta*lambda(+1)*(alpha*y(+1)/k + 1 - delta);
  [name='labour supply']
  psi = lambda*w;
  y = exp(a)*k(-1)^alpha*l^(1-alpha);
  w = (1-alpha)*y/l;
  k = (1-delta)*k(-1) + y - c;
  a = rho*a(-1) + e;
end;
initval;
  a = 0;
  y = 1.24; c = 0.92; k = 12.7; l = 0.33; w = 2.37; lambda = 3.6;
end;
shocks;
  var e; stderr 0.007;
end;
steady;
check;
stoch_simul(order=1, irf=20, nograph);
