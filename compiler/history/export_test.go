package history

// SplitLog makes Collect cut any history of at least atLeast first-parent
// commits into parts read at once; it returns a function restoring the
// defaults.
func SplitLog(atLeast, parts int) (restore func()) {
	a, p := splitAt, logParts
	splitAt, logParts = atLeast, parts
	return func() { splitAt, logParts = a, p }
}
