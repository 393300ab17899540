package health

import (
	"testing"

	"github.com/vipd/vipd/internal/fsm"
)

func TestAggregate(t *testing.T) {
	fault := Check{Name: "fault", Fault: true}
	plus := Check{Name: "plus", Weight: 10}
	minus := Check{Name: "minus", Weight: -20}
	minus2 := Check{Name: "minus2", Weight: -5}
	healthy := streak{known: true, healthy: true}
	failing := streak{known: true}
	unknown := streak{}
	for _, tc := range []struct {
		name   string
		checks []Check
		states []streak
		want   fsm.HealthChanged
	}{
		{"no checks", nil, nil, fsm.HealthChanged{}},
		{"fault check healthy", []Check{fault}, []streak{healthy}, fsm.HealthChanged{}},
		{"fault check failing", []Check{fault}, []streak{failing}, fsm.HealthChanged{Fault: true}},
		{"positive weight adds while healthy", []Check{plus}, []streak{healthy}, fsm.HealthChanged{Weight: 10}},
		{"positive weight adds nothing while failing", []Check{plus}, []streak{failing}, fsm.HealthChanged{}},
		{"negative weight adds nothing while healthy", []Check{minus}, []streak{healthy}, fsm.HealthChanged{}},
		{"negative weight subtracts while failing", []Check{minus}, []streak{failing}, fsm.HealthChanged{Weight: -20}},
		{"weights sum", []Check{plus, minus, minus2}, []streak{healthy, failing, failing}, fsm.HealthChanged{Weight: -15}},
		{"fault and weights together", []Check{fault, plus, minus}, []streak{failing, healthy, failing}, fsm.HealthChanged{Fault: true, Weight: -10}},
		{"one failing fault check is enough", []Check{fault, fault}, []streak{healthy, failing}, fsm.HealthChanged{Fault: true}},
		{"unknown counts as neither", []Check{fault, plus, minus}, []streak{unknown, unknown, unknown}, fsm.HealthChanged{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := aggregate(tc.checks, tc.states); got != tc.want {
				t.Errorf("aggregate = %+v, want %+v", got, tc.want)
			}
		})
	}
}
