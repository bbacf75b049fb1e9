"""The operator CLI of landing-zone (`./lz`): a thin layer over library functions."""
