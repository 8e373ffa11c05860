//go:build !linux || !(amd64 || arm64)

package main

// useHugePages does nothing off 64-bit Linux: the page-fault cost it works
// around is measured on Linux virtual machines (see hugepages_linux.go).
func useHugePages(string) {}
