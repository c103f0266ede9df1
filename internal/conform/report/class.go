package report

import (
	"fmt"
	"reflect"
)

// classOf is the check class of a result (engine.Result.Class) when
// results carry one, "" otherwise. The field is read by name so that the
// report renders classes as soon as the engine records them, and none
// while it does not.
func classOf(result any) string {
	v := reflect.ValueOf(result)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	f := v.FieldByName("Class")
	if !f.IsValid() || !f.CanInterface() {
		return ""
	}
	if s, ok := f.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	if f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}
