package load

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// fill sets every exported field reachable from v to a distinct non-zero
// value (two items per slice and map), so that a round trip that drops a
// field fails the comparison.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*time.Time]() {
			t := time.Date(2020, 1, 1+*n%28, 0, 0, 0, 0, time.UTC)
			v.Set(reflect.ValueOf(&t))
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " in " + v.Type().String())
	}
}

func filled[T any]() T {
	var x T
	n := 0
	fill(reflect.ValueOf(&x).Elem(), &n)
	return x
}

func TestCodecRoundTripsEveryField(t *testing.T) {
	diags := filled[diag.List]()
	for _, r := range []result{
		{comp: filled[*model.Component](), diags: diags},
		{std: filled[*model.Standard](), diags: diags},
		{cert: filled[*model.Certification](), diags: diags},
		{doc: filled[*model.Document](), diags: diags},
		{diags: diags},
		{},
	} {
		got, err := decodeEntry(string(encodeEntry(r)))
		if err != nil {
			t.Fatal(err)
		}
		if r.std != nil {
			got.std.Control("") // the lookup index is derived, not stored
			r.std.Control("")
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip differs:\n got %#v\nwant %#v", got, r)
		}
	}
}

func TestCodecRefusesCorruptEntries(t *testing.T) {
	data := encodeEntry(result{comp: filled[*model.Component](), diags: filled[diag.List]()})
	for i := range data {
		if _, err := decodeEntry(string(data[:i])); err == nil {
			t.Fatalf("a truncated entry (%d of %d bytes) decoded without error", i, len(data))
		}
	}
	bad := append([]byte{}, data...)
	bad[0] = 99
	if _, err := decodeEntry(string(bad)); err == nil {
		t.Error("an unknown entry kind decoded")
	}
	if _, err := decodeEntry(string(append(data, 0))); err == nil {
		t.Error("trailing bytes were accepted")
	}
}
