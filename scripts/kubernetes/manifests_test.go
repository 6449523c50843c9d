// Package kubernetes tests paysim's Kubernetes manifests: every document
// is valid against the Kubernetes API's own OpenAPI schemas, and the Jobs
// run and merge the shards of one job. It is a module of its own, so that
// paysim does not depend on the Kubernetes libraries the test needs.
package kubernetes

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kubectl-validate/pkg/openapiclient"
	"sigs.k8s.io/kubectl-validate/pkg/validator"
	"sigs.k8s.io/yaml"
)

var manifests = []string{"paysim-shards.yaml", "paysim-merge.yaml"}

// versions are the Kubernetes releases the manifests are checked against:
// backoffLimitPerIndex and the FailIndex action are on by default from
// 1.29; 1.30 is the newest release whose schemas kubectl-validate embeds.
var versions = []string{"1.29", "1.30"}

// newValidator validates objects as kubectl-validate does for a release:
// its embedded OpenAPI v3 schemas of the built-in types, with its patches
// for what the published schemas leave out.
func newValidator(t *testing.T, version string) *validator.Validator {
	t.Helper()
	v, err := validator.New(openapiclient.NewOverlay(openapiclient.HardcodedPatchLoader(version), openapiclient.NewHardcodedBuiltins(version)))
	require.NoError(t, err)
	return v
}

// documents returns the YAML documents of a manifest file.
func documents(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	var docs []string
	for _, d := range strings.Split(string(b), "\n---\n") {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, d)
		}
	}
	return docs
}

// validate parses one document and validates it against the schema of its
// kind.
func validate(v *validator.Validator, doc string) error {
	_, obj, err := v.Parse([]byte(doc))
	if err != nil {
		return err
	}
	return v.Validate(obj)
}

// TestManifestsValid: every document of the manifests is a valid object of
// its kind, with no unknown field.
func TestManifestsValid(t *testing.T) {
	for _, version := range versions {
		v := newValidator(t, version)
		for _, name := range manifests {
			for i, doc := range documents(t, name) {
				if err := validate(v, doc); err != nil {
					t.Errorf("Kubernetes %s: %s, document %d: %v", version, name, i+1, err)
				}
			}
		}
	}
}

// TestValidatorRejects: what the validator is for: a misspelt field,
// values of the wrong type and an API version that does not exist are
// refused.
func TestValidatorRejects(t *testing.T) {
	v := newValidator(t, versions[len(versions)-1])
	job := documents(t, "paysim-shards.yaml")[1]
	for _, c := range []struct{ from, to, want string }{
		{"completionMode: Indexed", "completionsMode: Indexed", "unknown field"},
		{"completions: 50 # N shards", "completions: fifty", "completions"},
		{"restartPolicy: Never", "restartPolicy: [Never]", "restartPolicy"},
		{"claimName: paysim-data", "claimName: {name: paysim-data}", "claimName"},
		{"apiVersion: batch/v1", "apiVersion: batch/v2", "batch/v2"},
	} {
		bad := strings.Replace(job, c.from, c.to, 1)
		require.NotEqual(t, job, bad, "%q is not in the manifest", c.from)
		err := validate(v, bad)
		if assert.Error(t, err, "%q accepted", c.to) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

// object is a Kubernetes object, read loosely.
type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		CompletionMode string `json:"completionMode"`
		Completions    int    `json:"completions"`
		Template       struct {
			Spec podSpec `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// podSpec is a pod template's spec, read loosely.
type podSpec struct {
	Containers []struct {
		Command []string `json:"command"`
		Args    []string `json:"args"`
		Env     []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"env"`
		VolumeMounts []struct {
			Name      string `json:"name"`
			MountPath string `json:"mountPath"`
		} `json:"volumeMounts"`
	} `json:"containers"`
	Volumes []struct {
		Name string `json:"name"`
		PVC  *struct {
			ClaimName string `json:"claimName"`
		} `json:"persistentVolumeClaim"`
		ConfigMap *struct {
			Name string `json:"name"`
		} `json:"configMap"`
	} `json:"volumes"`
}

func objects(t *testing.T, name string) []object {
	t.Helper()
	var out []object
	for _, doc := range documents(t, name) {
		var o object
		require.NoError(t, yaml.Unmarshal([]byte(doc), &o))
		out = append(out, o)
	}
	return out
}

// TestShardsAndMerge: the shards' Job is Indexed, runs shard
// JOB_COMPLETION_INDEX of as many shards as it has completions into the
// claim's parts folder, and the merge reads that folder of that claim;
// both read the scenario from the same ConfigMap at the same place.
func TestShardsAndMerge(t *testing.T) {
	shards := objects(t, "paysim-shards.yaml")
	require.Len(t, shards, 2)
	claim, job := shards[0], shards[1]
	assert.Equal(t, "PersistentVolumeClaim", claim.Kind)
	assert.Equal(t, "Indexed", job.Spec.CompletionMode)
	c := job.Spec.Template.Spec.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	assert.Equal(t, env["SHARDS"], strconv.Itoa(job.Spec.Completions), "SHARDS must equal completions")
	cmd := strings.Join(append(c.Command, c.Args...), " ")
	assert.Contains(t, cmd, `--shard "$JOB_COMPLETION_INDEX/$SHARDS"`)
	assert.Contains(t, cmd, "--out /data/parts")
	assert.Contains(t, cmd, "paysim run /scenario/")

	merge := objects(t, "paysim-merge.yaml")
	require.Len(t, merge, 1)
	m := merge[0].Spec.Template.Spec
	assert.Equal(t, []string{"paysim", "merge", "/data/parts", "--out", "/data/result"}, m.Containers[0].Command)
	// Both Jobs mount the claim at /data and the scenario at /scenario.
	for name, pod := range map[string]podSpec{"shards": job.Spec.Template.Spec, "merge": m} {
		mounts := map[string]string{}
		for _, vm := range pod.Containers[0].VolumeMounts {
			mounts[vm.Name] = vm.MountPath
		}
		for _, vol := range pod.Volumes {
			switch {
			case vol.PVC != nil:
				assert.Equal(t, claim.Metadata.Name, vol.PVC.ClaimName, name)
				assert.Equal(t, "/data", mounts[vol.Name], name)
			case vol.ConfigMap != nil:
				assert.Equal(t, "paysim-scenario", vol.ConfigMap.Name, name)
				assert.Equal(t, "/scenario", mounts[vol.Name], name)
			default:
				t.Errorf("%s: volume %s is neither the claim nor the scenario", name, vol.Name)
			}
		}
		assert.Len(t, pod.Volumes, 2, name)
	}
}
