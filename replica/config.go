package replica

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/typedsql/typedsql/conn"
)

// Config is a replica set as configuration: the primary's URL, the replicas' URLs, and the
// set's options in a form YAML and JSON can hold. Open makes a Set of it.
//
//	# replicas.yml
//	primary: postgres://app@db1:5432,db2:5432,db3:5432/app?target_session_attrs=read-write
//	replicas:
//	  - postgres://app@db2:5432/app
//	  - postgres://app@db3:5432/app
//	policy: least-lag          # round-robin (default), random, least-lag
//	max_lag: 2s                # 0 or absent: no limit
//	health_interval: 500ms
//	rise: 2
//	fallback: primary          # primary (default) or fail
//	fallback_rate: 50          # reads a second the primary takes when no replica is usable; 0: no bound
//	read_your_writes_wait: 200ms
type Config struct {
	Primary            string        `yaml:"primary" json:"primary"`
	Replicas           []string      `yaml:"replicas" json:"replicas"`
	Policy             string        `yaml:"policy" json:"policy"`
	MaxLag             conn.Duration `yaml:"max_lag" json:"max_lag"`
	HealthInterval     conn.Duration `yaml:"health_interval" json:"health_interval"`
	Rise               int           `yaml:"rise" json:"rise"`
	Fallback           string        `yaml:"fallback" json:"fallback"`
	FallbackRate       float64       `yaml:"fallback_rate" json:"fallback_rate"`
	ReadYourWritesWait conn.Duration `yaml:"read_your_writes_wait" json:"read_your_writes_wait"`
}

// ParseConfig reads a Config from YAML (or JSON, which YAML reads too). A key it does not
// know is an error naming it.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("replica: config: %w", err)
	}
	return c, nil
}

// LoadConfig reads a Config from the YAML file at path.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("replica: config: %w", err)
	}
	return ParseConfig(data)
}

// Options turns the configuration's option fields into Options.
func (c Config) Options() (Options, error) {
	o := Options{
		MaxLag: time.Duration(c.MaxLag), HealthInterval: time.Duration(c.HealthInterval), Rise: c.Rise,
		FallbackRate: c.FallbackRate, ReadYourWritesWait: time.Duration(c.ReadYourWritesWait),
	}
	switch c.Policy {
	case "", "round-robin":
		o.Policy = RoundRobin
	case "random":
		o.Policy = Random
	case "least-lag":
		o.Policy = LeastLag
	default:
		return Options{}, fmt.Errorf("replica: config: policy %q is not round-robin, random or least-lag", c.Policy)
	}
	switch c.Fallback {
	case "", "primary":
		o.Fallback = FallbackPrimary
	case "fail":
		o.Fallback = FallbackFail
	default:
		return Options{}, fmt.Errorf("replica: config: fallback %q is not primary or fail", c.Fallback)
	}
	return o, nil
}

// Open opens the primary and every replica of c (conn.Open, with opts for each) and makes a
// Set of them. Open does not connect; the set's first health check does, and a replica that
// does not answer starts out of reads.
//
//	set, err := replica.Open(ctx, replica.Config{
//		Primary:  "postgres://app@db1,db2/app?target_session_attrs=read-write",
//		Replicas: []string{"postgres://app@db2/app"},
//	}, replica.Options{MaxLag: time.Second})
func Open(ctx context.Context, c Config, opts Options, connOpts ...conn.Option) (*Set, error) {
	if c.Primary == "" || len(c.Replicas) == 0 {
		return nil, errors.New("replica: Open needs a primary URL and at least one replica URL")
	}
	primary, err := conn.Open(ctx, c.Primary, connOpts...)
	if err != nil {
		return nil, err
	}
	var reps []*conn.DB
	closeAll := func() {
		for _, r := range reps {
			r.Close()
		}
		primary.Close()
	}
	for _, u := range c.Replicas {
		r, err := conn.Open(ctx, u, connOpts...)
		if err != nil {
			closeAll()
			return nil, err
		}
		reps = append(reps, r)
	}
	s, err := New(primary, reps, opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	return s, nil
}

// OpenConfig is Open with the options of c itself (c.Options()).
func OpenConfig(ctx context.Context, c Config, connOpts ...conn.Option) (*Set, error) {
	o, err := c.Options()
	if err != nil {
		return nil, err
	}
	return Open(ctx, c, o, connOpts...)
}
