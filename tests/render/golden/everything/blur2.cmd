3.6 gblur@blur2 sigma 2;
3.633333 gblur@blur2 sigma 1.666667;
3.666667 gblur@blur2 sigma 1.333333;
3.7 gblur@blur2 sigma 1;
3.733333 gblur@blur2 sigma 0.666667;
3.766667 gblur@blur2 sigma 0.333333;
3.8 gblur@blur2 sigma 0;
