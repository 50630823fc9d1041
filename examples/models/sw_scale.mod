// Medium-scale New Keynesian model at Smets-Wouters (2007, AER) scale, log-linearised around
// the balanced growth path (model(linear); all variables are deviations, the observables carry
// their constant means). Written for govsim's DSGE benchmark (bench/bench_dsge.py): 40 endogenous
// variables, 7 shocks. Sticky-price/sticky-wage economy and its flexible-price counterpart
// (output gap in the Taylor rule), capital with investment adjustment costs, external habits,
// variable capacity utilisation, fixed costs, Calvo prices and wages with indexation (Kimball
// curvature), ARMA(1,1) price and wage mark-up shocks. Calibration close to the posterior mode
// reported by Smets and Wouters (2007).
var labobs robs pinfobs dy dc dinve dw ewma epinfma zcapf rkf kf pkf cf invef yf labf wf rrf
    mc zcap rk k pk c inve y lab pinf w r a b g qs ms spinf sw kpf kp;
varexo ea eb eg eqs em epinf ew;
parameters curvw cgy curvp constelab constepinf constebeta cmaw cmap calfa czcap csadjcost
    ctou csigma chabb cfc cindw cprobw cindp cprobp csigl clandaw crpi crdy cry crr crhoa
    crhob crhog crhoqs crhoms crhopinf crhow ctrend cg;

ctou = 0.025; clandaw = 1.5; cg = 0.18; curvp = 10; curvw = 10;
calfa = 0.1901; csigma = 1.3808; cfc = 1.6064; cgy = 0.5187;
csadjcost = 5.7606; chabb = 0.7133; cprobw = 0.7061; csigl = 1.8383;
cprobp = 0.6523; cindw = 0.5845; cindp = 0.2432; czcap = 0.5462;
crpi = 2.0443; crr = 0.8103; cry = 0.0882; crdy = 0.2247;
crhoa = 0.9577; crhob = 0.2194; crhog = 0.9767; crhoqs = 0.7113; crhoms = 0.1479;
crhopinf = 0.8895; crhow = 0.9688; cmap = 0.7010; cmaw = 0.8503;
constelab = 0.5509; constepinf = 0.6202; constebeta = 0.1657; ctrend = 0.4312;

model(linear);
  # cpie = 1 + constepinf/100;
  # cgamma = 1 + ctrend/100;
  # cbeta = 1/(1 + constebeta/100);
  # clandap = cfc;
  # cbetabar = cbeta*cgamma^(-csigma);
  # cr = cpie/(cbeta*cgamma^(-csigma));
  # crk = (cbeta^(-1))*(cgamma^csigma) - (1 - ctou);
  # cw = (calfa^calfa*(1 - calfa)^(1 - calfa)/(clandap*crk^calfa))^(1/(1 - calfa));
  # cikbar = 1 - (1 - ctou)/cgamma;
  # cik = (1 - (1 - ctou)/cgamma)*cgamma;
  # clk = ((1 - calfa)/calfa)*(crk/cw);
  # cky = cfc*clk^(calfa - 1);
  # ciy = cik*cky;
  # ccy = 1 - cg - cik*cky;
  # crkky = crk*cky;
  # cwhlc = (1/clandaw)*(1 - calfa)/calfa*crk*cky/ccy;
  # conster = (cr - 1)*100;

  // flexible-price, flexible-wage economy
  [name='flex: factor prices']
  a = calfa*rkf + (1 - calfa)*wf;
  [name='flex: capacity utilisation']
  zcapf = (1/(czcap/(1 - czcap)))*rkf;
  [name='flex: capital-labour ratio']
  rkf = wf + labf - kf;
  [name='flex: capital services']
  kf = kpf(-1) + zcapf;
  [name='flex: investment']
  invef = (1/(1 + cbetabar*cgamma))*(invef(-1) + cbetabar*cgamma*invef(1) + (1/(cgamma^2*csadjcost))*pkf) + qs;
  [name='flex: value of capital']
  pkf = -rrf + (1/((1 - chabb/cgamma)/(csigma*(1 + chabb/cgamma))))*b + (crk/(crk + (1 - ctou)))*rkf(1) + ((1 - ctou)/(crk + (1 - ctou)))*pkf(1);
  [name='flex: consumption Euler']
  cf = (chabb/cgamma)/(1 + chabb/cgamma)*cf(-1) + (1/(1 + chabb/cgamma))*cf(1) + ((csigma - 1)*cwhlc/(csigma*(1 + chabb/cgamma)))*(labf - labf(1)) - (1 - chabb/cgamma)/(csigma*(1 + chabb/cgamma))*rrf + b;
  [name='flex: resource constraint']
  yf = ccy*cf + ciy*invef + g + crkky*zcapf;
  [name='flex: production']
  yf = cfc*(calfa*kf + (1 - calfa)*labf + a);
  [name='flex: labour supply']
  wf = csigl*labf + (1/(1 - chabb/cgamma))*cf - (chabb/cgamma)/(1 - chabb/cgamma)*cf(-1);
  [name='flex: capital accumulation']
  kpf = (1 - cikbar)*kpf(-1) + cikbar*invef + cikbar*(cgamma^2*csadjcost)*qs;

  // sticky-price, sticky-wage economy
  [name='marginal cost']
  mc = calfa*rk + (1 - calfa)*w - a;
  [name='capacity utilisation']
  zcap = (1/(czcap/(1 - czcap)))*rk;
  [name='capital-labour ratio']
  rk = w + lab - k;
  [name='capital services']
  k = kp(-1) + zcap;
  [name='investment']
  inve = (1/(1 + cbetabar*cgamma))*(inve(-1) + cbetabar*cgamma*inve(1) + (1/(cgamma^2*csadjcost))*pk) + qs;
  [name='value of capital']
  pk = -r + pinf(1) + (1/((1 - chabb/cgamma)/(csigma*(1 + chabb/cgamma))))*b + (crk/(crk + (1 - ctou)))*rk(1) + ((1 - ctou)/(crk + (1 - ctou)))*pk(1);
  [name='consumption Euler']
  c = (chabb/cgamma)/(1 + chabb/cgamma)*c(-1) + (1/(1 + chabb/cgamma))*c(1) + ((csigma - 1)*cwhlc/(csigma*(1 + chabb/cgamma)))*(lab - lab(1)) - (1 - chabb/cgamma)/(csigma*(1 + chabb/cgamma))*(r - pinf(1)) + b;
  [name='resource constraint']
  y = ccy*c + ciy*inve + g + crkky*zcap;
  [name='production']
  y = cfc*(calfa*k + (1 - calfa)*lab + a);
  [name='price Phillips curve']
  pinf = (1/(1 + cbetabar*cgamma*cindp))*(cbetabar*cgamma*pinf(1) + cindp*pinf(-1) + ((1 - cprobp)*(1 - cbetabar*cgamma*cprobp)/cprobp)/((cfc - 1)*curvp + 1)*mc) + spinf;
  [name='wage Phillips curve']
  w = (1/(1 + cbetabar*cgamma))*w(-1) + (cbetabar*cgamma/(1 + cbetabar*cgamma))*w(1) + (cindw/(1 + cbetabar*cgamma))*pinf(-1)
      - (1 + cbetabar*cgamma*cindw)/(1 + cbetabar*cgamma)*pinf + (cbetabar*cgamma)/(1 + cbetabar*cgamma)*pinf(1)
      + (1 - cprobw)*(1 - cbetabar*cgamma*cprobw)/((1 + cbetabar*cgamma)*cprobw)*(1/((clandaw - 1)*curvw + 1))
        *(csigl*lab + (1/(1 - chabb/cgamma))*c - ((chabb/cgamma)/(1 - chabb/cgamma))*c(-1) - w) + sw;
  [name='Taylor rule']
  r = crpi*(1 - crr)*pinf + cry*(1 - crr)*(y - yf) + crdy*(y - yf - y(-1) + yf(-1)) + crr*r(-1) + ms;
  [name='capital accumulation']
  kp = (1 - cikbar)*kp(-1) + cikbar*inve + cikbar*cgamma^2*csadjcost*qs;

  // exogenous processes
  a = crhoa*a(-1) + ea;
  b = crhob*b(-1) + eb;
  g = crhog*g(-1) + eg + cgy*ea;
  qs = crhoqs*qs(-1) + eqs;
  ms = crhoms*ms(-1) + em;
  spinf = crhopinf*spinf(-1) + epinfma - cmap*epinfma(-1);
  epinfma = epinf;
  sw = crhow*sw(-1) + ewma - cmaw*ewma(-1);
  ewma = ew;

  // observables (quarterly growth rates and levels in percent)
  dy = y - y(-1) + ctrend;
  dc = c - c(-1) + ctrend;
  dinve = inve - inve(-1) + ctrend;
  dw = w - w(-1) + ctrend;
  pinfobs = pinf + constepinf;
  robs = r + conster;
  labobs = lab + constelab;
end;

shocks;
  var ea; stderr 0.4618;
  var eb; stderr 0.1818;
  var eg; stderr 0.6090;
  var eqs; stderr 0.4601;
  var em; stderr 0.2397;
  var epinf; stderr 0.1455;
  var ew; stderr 0.2089;
end;

steady;
check;
stoch_simul(order=1, irf=40, nograph);
