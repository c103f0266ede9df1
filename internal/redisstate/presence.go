package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/store"
)

// Presence tells the other replicas how far this one has applied the log,
// so that a reset can wait until every live replica has applied it.
//
// Keys: "replicas", a set of instance ids, and "replica:<id>", the
// instance's applied position, expiring presenceTTL after its last report
// (a replica that stopped without leaving is then forgotten).
type Presence struct {
	rdb    *redis.Client
	set    string
	prefix string
	id     string
}

// presenceTTL is how long a report counts; replicas report at least every
// PresenceEvery.
const (
	presenceTTL = 3 * time.Second
	// PresenceEvery is how often a replica should report while idle.
	PresenceEvery = time.Second
)

// Presence returns this replica's presence; replica names it in the ids
// (which also carry a random part, so a rebuilt server of the same
// process does not take over its predecessor's report).
func (s *State) Presence(replica string) *Presence {
	nonce := make([]byte, 4)
	_, _ = rand.Read(nonce)
	return &Presence{rdb: s.rdb, set: s.prefix + "replicas", prefix: s.prefix + "replica:", id: replica + "#" + hex.EncodeToString(nonce)}
}

// Report records pos as this replica's applied position.
func (p *Presence) Report(ctx context.Context, pos string) error {
	if pos == "" {
		pos = "0-0"
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	_, err := p.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, p.prefix+p.id, pos, presenceTTL)
		pipe.SAdd(ctx, p.set, p.id)
		return nil
	})
	return err
}

// Leave removes this replica's report.
func (p *Presence) Leave() error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	_, err := p.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Del(ctx, p.prefix+p.id)
		pipe.SRem(ctx, p.set, p.id)
		return nil
	})
	return err
}

// presencePoll is how often WaitApplied looks again.
const presencePoll = 2 * time.Millisecond

// WaitApplied waits until every live replica reports a position at or
// after pos, or ctx ends; it returns the replicas still behind then (none:
// all have applied it) and forgets those whose report expired.
func (p *Presence) WaitApplied(ctx context.Context, pos string) ([]string, error) {
	var last []string
	for {
		behind, err := p.behind(ctx, pos)
		if err != nil && ctx.Err() != nil {
			return last, nil // ran out of time while asking
		}
		if err != nil || len(behind) == 0 {
			return behind, err
		}
		last = behind
		select {
		case <-ctx.Done():
			return behind, nil
		case <-time.After(presencePoll):
		}
	}
}

func (p *Presence) behind(ctx context.Context, pos string) ([]string, error) {
	ids, err := p.rdb.SMembers(ctx, p.set).Result()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = p.prefix + id
	}
	vals, err := p.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	var gone []any
	var names []string
	for i, v := range vals {
		at, ok := v.(string)
		switch {
		case !ok:
			gone = append(gone, ids[i])
		case at != pos && !store.PositionAfter(at, pos):
			names = append(names, ids[i])
		}
	}
	if len(gone) > 0 {
		_ = p.rdb.SRem(ctx, p.set, gone...).Err()
	}
	return names, nil
}
