package config

import (
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestChanged(t *testing.T) {
	base := mustParse(t, vrrp3("")).Groups[0]
	for _, tc := range []struct {
		name   string
		change func(g *Group)
		want   []string
	}{
		{"nothing", func(*Group) {}, nil},
		{"priority", func(g *Group) { g.Priority = 200 }, []string{"priority"}},
		{"track_link", func(g *Group) { g.TrackLink = false }, []string{"track_link"}},
		{"vips and a hook", func(g *Group) {
			g.VIPs = append(g.VIPs, netip.MustParsePrefix("192.0.2.2/32"))
			g.Hooks.OnMaster = []string{"/bin/true"}
		}, []string{"vips", "hooks.on_master"}},
		{"vip order", func(g *Group) {
			g.VIPs = []netip.Prefix{netip.MustParsePrefix("192.0.2.2/32"), g.VIPs[0]}
		}, []string{"vips"}},
		{"prefix length", func(g *Group) { g.VIPs = []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")} }, []string{"vips"}},
		{"password contents", func(g *Group) { g.Password = "other" }, []string{"password"}},
		{"announce refresh", func(g *Group) { g.Announce.Refresh = time.Minute }, []string{"announce.refresh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := base
			g.VIPs = append([]netip.Prefix(nil), base.VIPs...)
			tc.change(&g)
			if diff := cmp.Diff(tc.want, base.Changed(&g)); diff != "" {
				t.Errorf("Changed (-want +got):\n%s", diff)
			}
			if got, want := base.SameAs(&g), tc.want == nil; got != want {
				t.Errorf("SameAs = %v, want %v", got, want)
			}
		})
	}
}

// TestChangedCoversEveryField changes each field of Group (and of its
// nested structs) in turn, so that a field added to Group without a line in
// Changed fails here rather than going unnoticed on reload.
func TestChangedCoversEveryField(t *testing.T) {
	for _, leaf := range leafFields(reflect.TypeFor[Group](), nil, "Group") {
		t.Run(leaf.name, func(t *testing.T) {
			var base, g Group
			change(t, reflect.ValueOf(&g).Elem().FieldByIndex(leaf.index))
			if got := base.Changed(&g); len(got) != 1 {
				t.Errorf("changing %s changes %q, want exactly one setting", leaf.name, got)
			}
		})
	}
}

type leaf struct {
	name  string
	index []int
}

// leafFields lists the fields of t, descending into this package's structs.
func leafFields(t reflect.Type, index []int, name string) []leaf {
	var out []leaf
	for i := range t.NumField() {
		f := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath() {
			out = append(out, leafFields(f.Type, idx, name+"."+f.Name)...)
			continue
		}
		out = append(out, leaf{name + "." + f.Name, idx})
	}
	return out
}

// change sets f to a value other than its zero value.
func change(t *testing.T, f reflect.Value) {
	switch f.Interface().(type) {
	case netip.Addr:
		f.Set(reflect.ValueOf(netip.MustParseAddr("192.0.2.77")))
		return
	case []netip.Prefix:
		f.Set(reflect.ValueOf([]netip.Prefix{netip.MustParsePrefix("192.0.2.77/32")}))
		return
	case []netip.Addr:
		f.Set(reflect.ValueOf([]netip.Addr{netip.MustParseAddr("192.0.2.77")}))
		return
	case []string:
		f.Set(reflect.ValueOf([]string{"/bin/changed"}))
		return
	case []Check:
		f.Set(reflect.ValueOf([]Check{{Name: "changed"}}))
		return
	case []StatusRange:
		f.Set(reflect.ValueOf([]StatusRange{{500, 599}}))
		return
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString("changed")
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Int, reflect.Int64:
		f.SetInt(1)
	case reflect.Uint8:
		f.SetUint(1)
	default:
		t.Fatalf("no way to change a %s: extend this test", f.Type())
	}
}

// TestCheckEqualCoversEveryField changes each field of Check in turn: a
// field that equal does not compare would let a reload miss a change.
func TestCheckEqualCoversEveryField(t *testing.T) {
	for _, leaf := range leafFields(reflect.TypeFor[Check](), nil, "Check") {
		t.Run(leaf.name, func(t *testing.T) {
			var base, c Check
			change(t, reflect.ValueOf(&c).Elem().FieldByIndex(leaf.index))
			if base.equal(&c) {
				t.Errorf("changing %s leaves the check equal", leaf.name)
			}
			g, o := Group{Checks: []Check{base}}, Group{Checks: []Check{c}}
			if diff := cmp.Diff([]string{"checks"}, g.Changed(&o)); diff != "" {
				t.Errorf("Changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	old := mustParse(t, "groups:\n"+
		"  - {name: a, interface: eth0, id: 1, vips: [192.0.2.1], password: x}\n"+
		"  - {name: b, interface: eth0, id: 2, vips: [192.0.2.2], password: x}\n"+
		"  - {name: c, interface: eth0, id: 3, vips: [192.0.2.3], password: x}\n")
	new := mustParse(t, "groups:\n"+
		"  - {name: d, interface: eth0, id: 4, vips: [192.0.2.4], password: x}\n"+
		"  - {name: c, interface: eth0, id: 3, vips: [192.0.2.3], password: x}\n"+
		"  - {name: a, interface: eth0, id: 1, vips: [192.0.2.1], password: y}\n")
	want := Changes{Added: []string{"d"}, Removed: []string{"b"}, Changed: []string{"a"}, Unchanged: []string{"c"}}
	if diff := cmp.Diff(want, Compare(old, new)); diff != "" {
		t.Errorf("Compare (-want +got):\n%s", diff)
	}
}
