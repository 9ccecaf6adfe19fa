// Imported first by tests that look at colors: chalk decides its color level when ink loads.
process.env.FORCE_COLOR = '1';
