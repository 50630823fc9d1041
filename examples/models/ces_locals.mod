// Real business cycle model with CES production y = a*(alpha*k^psi + (1-alpha)*l^psi)^(1/psi)
// (elasticity of substitution 1/(1-psi)) and fixed labour l = 1, written with `#` model-local
// variables for marginal utility and the marginal product of capital.
var y c k z;
varexo e;
parameters alpha beta delta sigma psi rho;
alpha = 0.35; beta = 0.99; delta = 0.025; sigma = 1.5; psi = -0.5; rho = 0.9;
model;
  # uc      = c^(-sigma);
  # uc_next = c(+1)^(-sigma);
  # a_next  = exp(z(+1));
  # mpk_next = alpha*a_next^psi*y(+1)^(1-psi)*k^(psi-1);
  [name='Euler']
  uc = beta*uc_next*(mpk_next + 1 - delta);
  y = exp(z)*(alpha*k(-1)^psi + (1-alpha))^(1/psi);
  k = (1-delta)*k(-1) + y - c;
  z = rho*z(-1) + e;
end;
steady_state_model;
  z = 0;
  R = 1/beta - 1 + delta;
  yk = (R/alpha)^(1/(1-psi));
  k = ((1-alpha)/(yk^psi - alpha))^(1/psi);
  y = yk*k;
  c = y - delta*k;
end;
shocks;
  var e; stderr 0.01;
end;
steady;
stoch_simul(order=1, irf=20, nograph);
