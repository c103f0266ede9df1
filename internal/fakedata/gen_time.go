package fakedata

import (
	"time"

	"gopkg.in/yaml.v3"
)

type timeParams struct {
	From   time.Time `param:"from"`
	To     time.Time `param:"to"`
	Format string    `param:"format"`
}

// {time: {from, to, format}}: a whole-second time in [from, to].
func compileTime(_ *compiler, arg *yaml.Node) (node, error) {
	p := timeParams{
		From:   time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		To:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Format: time.RFC3339,
	}
	if err := decodeParams("time", arg, &p); err != nil {
		return nil, err
	}
	if p.To.Before(p.From) {
		return nil, bad("time: to is before from")
	}
	return timeNode{p.From.Unix(), p.To.Unix(), p.Format}, nil
}

type timeAfterParams struct {
	Field  string        `param:"field"`
	Min    time.Duration `param:"min"`
	Max    time.Duration `param:"max"`
	To     time.Time     `param:"to"`
	Format string        `param:"format"`
}

// {timeAfter: {field, min, max, to, format}}: a time between min and max
// after an earlier field's time, not after to.
func compileTimeAfter(_ *compiler, arg *yaml.Node) (node, error) {
	p := timeAfterParams{Max: 365 * 24 * time.Hour, Format: time.RFC3339}
	if err := decodeParams("timeAfter", arg, &p); err != nil {
		return nil, err
	}
	if p.Field == "" {
		return nil, bad("timeAfter: field is required")
	}
	if p.Max < p.Min {
		return nil, bad("timeAfter: max is below min")
	}
	n := timeAfterNode{field: p.Field, min: int64(p.Min / time.Second), max: int64(p.Max / time.Second), format: p.Format}
	if !p.To.IsZero() {
		n.to = p.To.Unix()
	}
	return n, nil
}
