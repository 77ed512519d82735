package config

import (
	"reflect"
	"strings"
	"testing"
)

// yamlField finds the field of v (a Config) at a YAML path such as "pool.max_conns".
func yamlField(v reflect.Value, path string) (reflect.Value, bool) {
	for _, name := range strings.Split(path, ".") {
		found := false
		for i := range v.NumField() {
			if tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ","); tag == name {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// sample is a non-zero value for a setting's field, as a URL would write it and as the field
// holds it.
func sample(t reflect.Type) (url string, field reflect.Value) {
	switch t {
	case reflect.TypeFor[Duration]():
		return "7s", reflect.ValueOf(Duration(7e9))
	case reflect.TypeFor[*bool]():
		on := true
		return "on", reflect.ValueOf(&on)
	}
	switch t.Kind() {
	case reflect.String:
		return "x7", reflect.ValueOf("x7")
	case reflect.Int:
		return "7", reflect.ValueOf(7)
	case reflect.Int64:
		return "7", reflect.ValueOf(int64(7))
	}
	return "", reflect.Value{}
}

// TestParamsTable keeps the one table of settings in step with the Config type: every entry
// names a YAML field that exists, its merge copies that field (and only when it is set), its
// URL keys set that field, and every value field of a Config that YAML can set has exactly
// one entry, so that a new field cannot be forgotten by the URL parser or by overlay.
func TestParamsTable(t *testing.T) {
	covered := map[string]bool{}
	for _, p := range params {
		if covered[p.yaml] {
			t.Errorf("%s: two entries", p.yaml)
		}
		covered[p.yaml] = true
		var src, dst Config
		f, ok := yamlField(reflect.ValueOf(&src).Elem(), p.yaml)
		if !ok {
			t.Errorf("%s: no such YAML field in Config", p.yaml)
			continue
		}
		text, v := sample(f.Type())
		if !v.IsValid() {
			t.Errorf("%s: no sample for a field of type %v", p.yaml, f.Type())
			continue
		}
		p.merge(&dst, &src)
		if !reflect.DeepEqual(dst, Config{}) {
			t.Errorf("%s: merging an unset value changed the config: %+v", p.yaml, dst)
		}
		f.Set(v)
		p.merge(&dst, &src)
		if got, _ := yamlField(reflect.ValueOf(&dst).Elem(), p.yaml); !reflect.DeepEqual(got.Interface(), v.Interface()) {
			t.Errorf("%s: merge set %v; want %v", p.yaml, got.Interface(), v.Interface())
		}
		for _, key := range p.keys {
			scheme := "postgres://h/db?"
			if p.sqliteOnly {
				scheme = "sqlite:///db?"
			}
			c, err := ParseURL(scheme + key + "=" + text)
			if err != nil {
				t.Errorf("%s: URL key %s=%s: %v", p.yaml, key, text, err)
				continue
			}
			got, _ := yamlField(reflect.ValueOf(&c).Elem(), p.yaml)
			if got.IsZero() || c.DriverArgs[key] != "" {
				t.Errorf("%s: URL key %s=%s did not set the field (driver args %v)", p.yaml, key, text, c.DriverArgs)
			}
		}
	}
	// Every value field YAML can set is in the table, but for the ones that are not
	// settings of the connection: the URL itself, the driver's arguments and two switches
	// that overlay ORs or copies.
	notParams := map[string]bool{"url": true, "driver_args": true, "connect_eagerly": true, "log_arguments": true}
	var walk func(t reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" || notParams[prefix+name] {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[Duration]() {
				walk(f.Type, prefix+name+".")
				continue
			}
			if !covered[prefix+name] {
				t.Errorf("Config field %s%s has no entry in params", prefix, name)
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
}
