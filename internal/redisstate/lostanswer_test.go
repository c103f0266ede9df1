package redisstate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/redisstate/redistest"
	"github.com/standin/standin/internal/store"
)

// logLen is how many entries the shared log holds (seed 1, as open uses).
func logLen(t *testing.T, rs *redistest.Server) int64 {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer rdb.Close()
	n, err := rdb.XLen(context.Background(), "standin:1:log").Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRedisLostAnswer: an append whose connection drops after Redis ran
// it, whose answer comes after the read timeout, or which never reached
// Redis, is answered by what the log holds: applied (and readable on the
// writer at once) or not written, never the other way round. A command
// that reached Redis only after its writer found it not applied is
// refused (the fence), so "not written" stays true.
func TestRedisLostAnswer(t *testing.T) {
	rs := startRedis(t)
	proxy := redistest.StartProxy(t, rs)
	tests := []struct {
		name    string
		fault   redistest.Fault
		applied bool
	}{
		{"connection dropped after the append ran", redistest.LoseAnswer, true},
		{"answer later than the read timeout", redistest.DelayAnswer, true},
		{"connection dropped before the append arrived", redistest.LoseCommand, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := replica(t, open(t, proxy.URL)) // its Redis traffic goes through the proxy
			b := replica(t, open(t, rs.URL))
			// the script is loaded, so a held EVALSHA runs when sent late
			if err := a.Insert("c", store.Record{"id": "warm-" + tt.name}); err != nil {
				t.Fatal(err)
			}
			before := logLen(t, rs)
			key := "lost-" + string(rune('a'+i))
			hit := proxy.Arm(redistest.Injection{Marker: `"id":"` + key + `"`, Fault: tt.fault, Delay: 1500 * time.Millisecond})
			err := a.Insert("c", store.Record{"id": key})
			select {
			case <-hit:
			default:
				t.Fatal("the proxy never saw the append")
			}
			_, onA, _ := a.Get("c", "id", key)
			if tt.applied {
				if err != nil {
					t.Fatalf("insert whose append Redis ran: %v, want nil", err)
				}
				if !onA {
					t.Error("the writer does not read its acknowledged insert")
				}
			} else {
				if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrOutcomeUnknown) {
					t.Fatalf("insert whose append never reached Redis: %v, want ErrUnavailable", err)
				}
				if onA {
					t.Error("an insert answered as not written is in the writer's store")
				}
				// the held append reaches Redis now: refused
				if got := rs.Send(t, proxy.Held()); !strings.HasPrefix(got, "*2\r\n:2\r\n") {
					t.Errorf("the append arriving after its writer gave it up was answered %q, want refused ({2, ''})", got)
				}
			}
			if got, want := logLen(t, rs), before+map[bool]int64{true: 1, false: 0}[tt.applied]; got != want {
				t.Errorf("the log holds %d entries, want %d", got, want)
			}
			if err := b.CatchUp(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := b.Get("c", "id", key); ok != tt.applied {
				t.Errorf("the other replica holds the insert: %v, want %v", ok, tt.applied)
			}
		})
	}
}

// TestRedisLostAnswerUnknown: when Redis cannot be reached after the
// answer was lost, the write's outcome is unknown (not "not written");
// once Redis answers, WriteOutcome tells it on any replica, and a held
// append arriving late is refused.
func TestRedisLostAnswerUnknown(t *testing.T) {
	rs := startRedis(t)
	proxy := redistest.StartProxy(t, rs)
	tests := []struct {
		name  string
		fault redistest.Fault
		want  store.Outcome
	}{
		{"append ran, then Redis unreachable", redistest.LoseAnswer, store.OutcomeApplied},
		{"append lost, Redis unreachable", redistest.LoseCommand, store.OutcomeNotApplied},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy.SetDown(false)
			a := replica(t, open(t, proxy.URL))
			a.SetOutcomeWait(300 * time.Millisecond)
			b := replica(t, open(t, rs.URL))
			if err := a.Insert("c", store.Record{"id": "warm-" + tt.name}); err != nil {
				t.Fatal(err)
			}
			key := "unknown-" + string(rune('a'+i))
			proxy.Arm(redistest.Injection{Marker: `"id":"` + key + `"`, Fault: tt.fault, ThenDown: true})
			err := a.Insert("c", store.Record{"id": key})
			var unknown *store.UnknownOutcomeError
			if !errors.As(err, &unknown) || errors.Is(err, store.ErrUnavailable) {
				t.Fatalf("insert with Redis unreachable after the lost answer: %v, want an UnknownOutcomeError", err)
			}
			if _, err := a.WriteOutcome(context.Background(), unknown.WriteID); !errors.Is(err, store.ErrUnavailable) {
				t.Errorf("WriteOutcome with Redis unreachable: %v, want ErrUnavailable", err)
			}
			proxy.SetDown(false)
			for _, s := range []*store.Store{b, a} {
				o, err := s.WriteOutcome(context.Background(), unknown.WriteID)
				if err != nil || o.Outcome != tt.want {
					t.Fatalf("WriteOutcome once Redis answers: %+v, %v; want %s", o, err, tt.want)
				}
			}
			if held := proxy.Held(); held != nil {
				if got := rs.Send(t, held); !strings.HasPrefix(got, "*2\r\n:2\r\n") {
					t.Errorf("the held append arriving late was answered %q, want refused", got)
				}
			}
			for _, s := range []*store.Store{a, b} {
				if err := s.CatchUp(context.Background()); err != nil {
					t.Fatal(err)
				}
				if _, ok, _ := s.Get("c", "id", key); ok != (tt.want == store.OutcomeApplied) {
					t.Errorf("a replica holds the insert: %v, want %v", ok, tt.want == store.OutcomeApplied)
				}
			}
		})
	}
}

// TestRedisOutcomeScript: the lookup on the stream itself, case by case.
func TestRedisOutcomeScript(t *testing.T) {
	rs := startRedis(t)
	log := open(t, rs.URL).Log()
	ctx := context.Background()
	entry := func(w, id string) store.Entry {
		return store.Entry{Write: w, Changes: []store.Change{{Op: store.OpInsert, Col: "c", Seq: 100, Rec: store.Record{"id": id}}}}
	}
	w1 := store.NewWriteID("")
	id1, err := log.Append(ctx, "", entry(w1, "x"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := log.Read(ctx, "", 10, 0)
	if err != nil || len(es) != 1 || es[0].Write != w1 {
		t.Fatalf("Read: %+v, %v; want the entry with write id %s", es, err, w1)
	}
	w3, w4 := store.NewWriteID(id1), store.NewWriteID(id1)
	far := "99999999999999-0"
	steps := []struct {
		name        string
		before      func() error
		after, w    string
		want        store.Outcome
		pos, reason string
	}{
		{"the entry after the position is the write", nil, "", w1, store.OutcomeApplied, id1, ""},
		{"another write follows the position", nil, "", store.NewWriteID(""), store.OutcomeNotApplied, "", ""},
		{"nothing follows the position: fenced", nil, id1, w3, store.OutcomeNotApplied, "", ""},
		{"a fenced write's append is refused", func() error {
			if _, err := log.Append(ctx, id1, entry(w3, "y")); err == nil || errors.Is(err, store.ErrConflict) {
				return errors.New("the append of a fenced write was not refused")
			}
			return nil
		}, id1, w3, store.OutcomeNotApplied, "", ""},
		{"a reset follows the position", func() error {
			_, err := log.Append(ctx, "", store.Entry{Reset: true})
			return err
		}, id1, w4, store.OutcomeUnknown, "", "reset"},
		{"a fenced write stays not applied after a reset", nil, id1, w3, store.OutcomeNotApplied, "", ""},
		{"the log lacks the position", nil, far, store.NewWriteID(far), store.OutcomeUnknown, "", "lost data"},
	}
	for _, st := range steps {
		if st.before != nil {
			if err := st.before(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		o, err := log.Outcome(ctx, st.after, st.w)
		if err != nil || o.Outcome != st.want || o.Position != st.pos || !strings.Contains(o.Reason, st.reason) {
			t.Errorf("%s: %+v, %v; want %s at %q, reason with %q", st.name, o, err, st.want, st.pos, st.reason)
		}
	}
	if n := logLen(t, rs); n != 1 {
		t.Errorf("the log holds %d entries after the reset, want 1 (the reset)", n)
	}
}
