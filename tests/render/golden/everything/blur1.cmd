3.4 gblur@blur1 sigma 2;
3.433333 gblur@blur1 sigma 1.555556;
3.466667 gblur@blur1 sigma 1.111111;
3.5 gblur@blur1 sigma 0.666667;
3.533333 gblur@blur1 sigma 0.222222;
