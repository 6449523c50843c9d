package brief

import _ "embed"

//go:generate sh -c "cd assets && sh fetch-echarts.sh"

// echartsJS is Apache ECharts, the charting library of the HTML report,
// embedded so that the report opens offline. It is the file dist/echarts.min.js
// of the npm package echarts at the version in assets/echarts/VERSION, with
// the package's LICENSE and NOTICE beside it; assets/fetch-echarts.sh fetches
// it again and checks its digest.
//
//go:embed assets/echarts/echarts.min.js
var echartsJS string

// echartsVersion is the version of echartsJS.
//
//go:embed assets/echarts/VERSION
var echartsVersion string
