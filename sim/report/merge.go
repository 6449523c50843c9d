package report

import (
	"fmt"
	"math"
	"reflect"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval holds the bounds of the 95% confidence intervals of the mean of
// every figure of a summary across its replicates: Lo and Hi have the shape
// of the summary's yearly and overall figures.
type Interval struct {
	Lo IntervalBound `json:"lo"`
	Hi IntervalBound `json:"hi"`
}

// IntervalBound is one bound of every figure.
type IntervalBound struct {
	Yearly  []Year  `json:"yearly"`
	Overall Overall `json:"overall"`
}

// Merge summarises replicates of one scenario: every figure of the result is
// the mean across the replicates, and Interval holds the 95% confidence
// interval of that mean (Student's t with n − 1 degrees of freedom). The
// replicates must come from the same scenario and horizon; their order does
// not matter beyond floating-point rounding, and merging is done in the order
// given, so the same replicates give the same bytes.
func Merge(reps []*Summary) (*Summary, error) {
	if len(reps) == 0 {
		return nil, fmt.Errorf("merge: no replicates")
	}
	for _, r := range reps[1:] {
		if r.Scenario != reps[0].Scenario || len(r.Yearly) != len(reps[0].Yearly) || r.Persons != reps[0].Persons || r.Currency != reps[0].Currency {
			return nil, fmt.Errorf("merge: replicates of different runs (%s, %d years, %d persons, %s vs %s, %d years, %d persons, %s)",
				r.Scenario, len(r.Yearly), r.Persons, r.Currency, reps[0].Scenario, len(reps[0].Yearly), reps[0].Persons, reps[0].Currency)
		}
	}
	n := len(reps)
	mean, lo, hi := *reps[0], *reps[0], *reps[0]
	mean.Replicates = n
	t := T95(n)
	vals := make([]reflect.Value, n)
	for i, r := range reps {
		vals[i] = reflect.ValueOf(&r.Yearly).Elem()
	}
	mean.Yearly, lo.Yearly, hi.Yearly = nil, nil, nil
	mergeValue(reflect.ValueOf(&mean.Yearly).Elem(), reflect.ValueOf(&lo.Yearly).Elem(), reflect.ValueOf(&hi.Yearly).Elem(), vals, t)
	for i, r := range reps {
		vals[i] = reflect.ValueOf(&r.Overall).Elem()
	}
	mergeValue(reflect.ValueOf(&mean.Overall).Elem(), reflect.ValueOf(&lo.Overall).Elem(), reflect.ValueOf(&hi.Overall).Elem(), vals, t)
	mean.Overall.sumCategories(mean.CostCategories) // the mean of each category apart; their sum the total
	if n > 1 {
		mean.Interval = &Interval{Lo: IntervalBound{lo.Yearly, lo.Overall}, Hi: IntervalBound{hi.Yearly, hi.Overall}}
	}
	mean.Trace = meanTrace(reps)
	return &mean, nil
}

// meanTrace is the trace of the replicates' mean occupancy, point by
// point (the points every replicate has).
func meanTrace(reps []*Summary) Trace {
	t := Trace{States: reps[0].Trace.States}
	n := len(reps[0].Trace.Rows)
	for _, r := range reps {
		n = min(n, len(r.Trace.Rows))
	}
	for i := range n {
		first := reps[0].Trace.Rows[i]
		row := TraceRow{Cycle: first.Cycle, Time: first.Time, States: make([]float64, len(first.States))}
		for _, r := range reps {
			x := r.Trace.Rows[i]
			row.Alive += x.Alive
			row.Background += x.Background
			for k := range row.States {
				row.States[k] += x.States[k]
			}
		}
		k := float64(len(reps))
		row.Alive /= k
		row.Background /= k
		for j := range row.States {
			row.States[j] /= k
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// mergeValue sets mean, lo and hi (settable values of one type) from the
// values vs of that type: numbers to their mean and interval, strings to the
// first value's, slices, maps, pointers and structs element by element.
func mergeValue(mean, lo, hi reflect.Value, vs []reflect.Value, t float64) {
	switch mean.Kind() {
	case reflect.Float64, reflect.Int64:
		x := make([]float64, len(vs))
		for i, v := range vs {
			if v.Kind() == reflect.Int64 {
				x[i] = float64(v.Int())
			} else {
				x[i] = v.Float()
			}
		}
		m, h := MeanHalfWidth(x, t)
		if mean.Kind() == reflect.Int64 {
			mean.SetInt(int64(math.Round(m)))
			lo.SetInt(int64(math.Round(m - h)))
			hi.SetInt(int64(math.Round(m + h)))
			return
		}
		mean.SetFloat(m)
		lo.SetFloat(m - h)
		hi.SetFloat(m + h)
	case reflect.Struct:
		for f := 0; f < mean.NumField(); f++ {
			mergeValue(mean.Field(f), lo.Field(f), hi.Field(f), fields(vs, f), t)
		}
	case reflect.Slice:
		n := vs[0].Len()
		for _, v := range vs {
			n = min(n, v.Len())
		}
		typ := mean.Type()
		mean.Set(reflect.MakeSlice(typ, n, n))
		lo.Set(reflect.MakeSlice(typ, n, n))
		hi.Set(reflect.MakeSlice(typ, n, n))
		for i := 0; i < n; i++ {
			el := make([]reflect.Value, len(vs))
			for k, v := range vs {
				el[k] = v.Index(i)
			}
			mergeValue(mean.Index(i), lo.Index(i), hi.Index(i), el, t)
		}
	case reflect.Map:
		typ := mean.Type()
		mean.Set(reflect.MakeMap(typ))
		lo.Set(reflect.MakeMap(typ))
		hi.Set(reflect.MakeMap(typ))
		for _, key := range vs[0].MapKeys() {
			el := make([]reflect.Value, 0, len(vs))
			for _, v := range vs {
				if e := v.MapIndex(key); e.IsValid() {
					el = append(el, e)
				}
			}
			if len(el) != len(vs) {
				continue // a figure some replicates lack has no mean
			}
			m, l, h := reflect.New(typ.Elem()).Elem(), reflect.New(typ.Elem()).Elem(), reflect.New(typ.Elem()).Elem()
			mergeValue(m, l, h, el, t)
			mean.SetMapIndex(key, m)
			lo.SetMapIndex(key, l)
			hi.SetMapIndex(key, h)
		}
	case reflect.Pointer:
		el := make([]reflect.Value, len(vs))
		for k, v := range vs {
			if v.IsNil() {
				mean.Set(reflect.Zero(mean.Type())) // absent in some replicate (reserve months of a year without payout)
				lo.Set(reflect.Zero(lo.Type()))
				hi.Set(reflect.Zero(hi.Type()))
				return
			}
			el[k] = v.Elem()
		}
		for _, p := range []reflect.Value{mean, lo, hi} {
			p.Set(reflect.New(mean.Type().Elem()))
		}
		mergeValue(mean.Elem(), lo.Elem(), hi.Elem(), el, t)
	default: // strings and the like: the first replicate's
		mean.Set(vs[0])
		lo.Set(vs[0])
		hi.Set(vs[0])
	}
}

func fields(vs []reflect.Value, f int) []reflect.Value {
	out := make([]reflect.Value, len(vs))
	for i, v := range vs {
		out[i] = v.Field(f)
	}
	return out
}

// T95 is the 0.975 quantile of Student's t with n − 1 degrees of freedom,
// the factor of a two-sided 95% interval of a mean of n values (0 for one).
func T95(n int) float64 {
	if n < 2 {
		return 0
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

// MeanHalfWidth returns the mean of x and the half-width t × sd ÷ √n of its
// confidence interval (0 for one value); t is T95(len(x)) for 95%.
func MeanHalfWidth(x []float64, t float64) (mean, half float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	if len(x) < 2 {
		return mean, 0
	}
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, t * math.Sqrt(ss/(n-1)/n)
}
