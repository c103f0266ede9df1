package report

import (
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// WriteJUnit writes Ginkgo's report of a run as a JUnit XML file
// (reporters.GenerateJUnitReport): every spec, with Ginkgo's labels.
func WriteJUnit(r types.Report, file string) error {
	return reporters.GenerateJUnitReport(r, file)
}
