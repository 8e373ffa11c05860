package load

// WriteFiles lets the external tests build repositories with the same
// helper as the internal ones.
var WriteFiles = writeFiles
