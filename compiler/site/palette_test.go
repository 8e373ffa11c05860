package site

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/charter-compliance/charter/compiler/model"
)

// The status fills of style.css must stay apart for readers with the
// common colour-vision deficiencies and on a greyscale printout, even
// though every cell, bar segment and badge also carries its status's
// shape. The test reads the colours from the stylesheet itself, simulates
// protanopia, deuteranopia and tritanopia with the matrices of Machado,
// Oliveira and Fernandes (2009, severity 1) in linear RGB, and compares
// every pair in CIELAB.

// cvdMatrices simulate full dichromacy on linear RGB.
var cvdMatrices = map[string][3][3]float64{
	"normal": {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
	"protanopia": {
		{0.152286, 1.052583, -0.204868},
		{0.114503, 0.786281, 0.099216},
		{-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {
		{0.367322, 0.860646, -0.227968},
		{0.280085, 0.672501, 0.047413},
		{-0.011820, 0.042940, 0.968881}},
	"tritanopia": {
		{1.255528, -0.076749, -0.178779},
		{-0.078411, 0.930809, 0.147602},
		{0.004733, 0.691367, 0.303900}},
}

const (
	minDeltaE    = 12 // CIE76 between any two status fills, under every vision
	minGreyDelta = 7  // lightness L* apart in greyscale
)

func TestStatusPaletteDistinct(t *testing.T) {
	css, err := embedded.ReadFile("theme/assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	fills := map[model.Status][3]float64{}
	for _, st := range model.AllStatuses {
		m := regexp.MustCompile(`--` + regexp.QuoteMeta(st.String()) + `:\s*#([0-9a-fA-F]{6});`).FindSubmatch(css)
		if m == nil {
			t.Fatalf("style.css defines no --%s: #rrggbb", st)
		}
		fills[st] = linearRGB(string(m[1]))
	}
	for vision, mat := range cvdMatrices {
		for i, a := range model.AllStatuses {
			for _, b := range model.AllStatuses[i+1:] {
				la, lb := lab(apply(mat, fills[a])), lab(apply(mat, fills[b]))
				if d := deltaE(la, lb); d < minDeltaE {
					t.Errorf("%s: %s and %s are %.1f apart (CIE76), want at least %d", vision, a, b, d, minDeltaE)
				}
				if vision == "normal" {
					if d := math.Abs(la[0] - lb[0]); d < minGreyDelta {
						t.Errorf("greyscale: %s (L*=%.0f) and %s (L*=%.0f) are %.1f apart, want at least %d", a, la[0], b, lb[0], d, minGreyDelta)
					}
				}
			}
		}
	}
}

// TestPaletteMaths checks the colour maths against known values, so the
// palette test cannot pass by computing nothing.
func TestPaletteMaths(t *testing.T) {
	for hex, want := range map[string][3]float64{
		"ffffff": {100, 0, 0},
		"000000": {0, 0, 0},
		"ff0000": {53.24, 80.09, 67.20},
		"0000ff": {32.30, 79.19, -107.86},
	} {
		got := lab(linearRGB(hex))
		if deltaE(got, want) > 0.1 {
			t.Errorf("Lab of #%s = %.2f, want %.2f", hex, got, want)
		}
	}
	// red and green, the deuteranope's confusion pair, come close
	red, green := linearRGB("cf222e"), linearRGB("1a7f37")
	if n, d := deltaE(lab(red), lab(green)), deltaE(lab(apply(cvdMatrices["deuteranopia"], red)), lab(apply(cvdMatrices["deuteranopia"], green))); d > n/3 {
		t.Errorf("deuteranopia leaves red and green %.1f apart (normal %.1f): the simulation does nothing", d, n)
	}
}

func linearRGB(hex string) [3]float64 {
	var c [3]float64
	for i := range 3 {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			panic(fmt.Sprintf("colour %q: %v", hex, err))
		}
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return c
}

func apply(m [3][3]float64, c [3]float64) [3]float64 {
	var out [3]float64
	for i := range 3 {
		out[i] = min(max(m[i][0]*c[0]+m[i][1]*c[1]+m[i][2]*c[2], 0), 1)
	}
	return out
}

// lab converts linear sRGB to CIELAB under D65.
func lab(c [3]float64) [3]float64 {
	x := (0.4124564*c[0] + 0.3575761*c[1] + 0.1804375*c[2]) / 0.95047
	y := 0.2126729*c[0] + 0.7151522*c[1] + 0.0721750*c[2]
	z := (0.0193339*c[0] + 0.1191920*c[1] + 0.9503041*c[2]) / 1.08883
	f := func(v float64) float64 {
		if v > 216.0/24389 {
			return math.Cbrt(v)
		}
		return (24389.0/27*v + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

func deltaE(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}
