// Small open economy with a debt-elastic interest-rate premium (Schmitt-Grohe and Uribe 2003,
// "Closing small open economy models", model 1): GHH preferences, capital adjustment costs,
// foreign debt d at the country rate r = rstar + psi*(exp(d - dbar) - 1).
var c h y inv k a lambda d r tb_y;
varexo e;
parameters gamma omega alpha delta phi psi rstar dbar beta rho;
gamma = 2; omega = 1.455; alpha = 0.32; delta = 0.1; phi = 0.028; psi = 0.000742;
rstar = 0.04; dbar = 0.7442; rho = 0.42;
beta = 1/(1 + rstar);
model;
  [name='debt accumulation']
  d = (1 + r(-1))*d(-1) - y + c + inv + (phi/2)*(k - k(-1))^2;
  y = a*k(-1)^alpha*h^(1-alpha);
  k = inv + (1-delta)*k(-1);
  [name='bond Euler']
  lambda = beta*(1 + r)*lambda(+1);
  (c - h^omega/omega)^(-gamma) = lambda;
  [name='labour supply']
  h^(omega-1) = (1-alpha)*y/h;
  [name='capital Euler']
  lambda*(1 + phi*(k - k(-1))) = beta*lambda(+1)*(alpha*y(+1)/k + 1 - delta + phi*(k(+1) - k));
  [name='country premium']
  r = rstar + psi*(exp(d - dbar) - 1);
  log(a) = rho*log(a(-1)) + e;
  tb_y = 1 - (c + inv)/y;
end;
steady_state_model;
  a = 1;
  r = rstar;
  d = dbar;
  kh = (alpha/(1/beta - 1 + delta))^(1/(1-alpha));
  h = ((1-alpha)*kh^alpha)^(1/(omega-1));
  k = kh*h;
  y = kh^alpha*h;
  inv = delta*k;
  c = y - inv - rstar*dbar;
  lambda = (c - h^omega/omega)^(-gamma);
  tb_y = 1 - (c + inv)/y;
end;
shocks;
  var e; stderr 0.0129;
end;
steady;
check;
stoch_simul(order=1, irf=20, nograph);
