//go:build tools

// Package recipe pins the Pulumi CLI's Go modules; build.sh builds the CLI from them.
package recipe

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
