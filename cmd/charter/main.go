package main

import (
	_ "github.com/alecthomas/kong"
	_ "github.com/chromedp/chromedp"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/sync/errgroup"
	_ "gopkg.in/yaml.v3"
)

func main() {}
