// Global stylesheets have no exports; tests do not need them.
module.exports = {};
