// Multi-sector real business cycle model generated with @#for (a Long and Plosser-style economy
// without intermediate inputs): N sectors, each with its own productivity, capital stock and
// labour; log utility over a Cobb-Douglas consumption aggregate C = prod c_s^w_s with weights
// w_s = 2s/(N(N+1)), linear disutility of total hours L. The aggregate price index is the
// numeraire. Change the number of sectors with `@#define N = ...` (or -DN=... on the command line).
@#ifndef N
@#define N = 5
@#endif
var C L W
@#for s in 1:N
  y_@{s} c_@{s} inv_@{s} k_@{s} p_@{s} l_@{s} a_@{s}
@#endfor
;
varexo
@#for s in 1:N
  e_@{s}
@#endfor
;
parameters alpha beta delta chi rho
@#for s in 1:N
  w_@{s}
@#endfor
;
alpha = 0.3; beta = 0.99; delta = 0.025; chi = 2; rho = 0.9;
@#for s in 1:N
w_@{s} = 2*@{s}/(@{N}*(@{N}+1));
@#endfor
model;
@#for s in 1:N
  [name='production @{s}']
  y_@{s} = exp(a_@{s})*k_@{s}(-1)^alpha*l_@{s}^(1-alpha);
  y_@{s} = c_@{s} + inv_@{s};
  k_@{s} = (1-delta)*k_@{s}(-1) + inv_@{s};
  p_@{s} = w_@{s}*C/c_@{s};
  W = p_@{s}*(1-alpha)*y_@{s}/l_@{s};
  [name='Euler @{s}']
  p_@{s}/C = beta*p_@{s}(+1)/C(+1)*(alpha*y_@{s}(+1)/k_@{s} + 1 - delta);
  a_@{s} = rho*a_@{s}(-1) + e_@{s};
@#endfor
  log(C) = 0
@#for s in 1:N
    + w_@{s}*log(c_@{s})
@#endfor
  ;
  L = 0
@#for s in 1:N
    + l_@{s}
@#endfor
  ;
  W = chi*C;
end;
steady_state_model;
  R = 1/beta - 1 + delta;
  ky = alpha/R;
  sc = 1 - delta*ky;
@#for s in 1:N
  a_@{s} = 0;
  l_@{s} = (1-alpha)*w_@{s}/(chi*sc);
  y_@{s} = ky^(alpha/(1-alpha))*l_@{s};
  k_@{s} = ky*y_@{s};
  inv_@{s} = delta*k_@{s};
  c_@{s} = sc*y_@{s};
@#endfor
  C = exp(0
@#for s in 1:N
    + w_@{s}*log(c_@{s})
@#endfor
  );
  W = chi*C;
  L = 0
@#for s in 1:N
    + l_@{s}
@#endfor
  ;
@#for s in 1:N
  p_@{s} = w_@{s}*C/c_@{s};
@#endfor
end;
shocks;
@#for s in 1:N
  var e_@{s}; stderr 0.01;
@#endfor
end;
steady;
stoch_simul(order=1, irf=20, nograph);
