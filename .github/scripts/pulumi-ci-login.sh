#!/usr/bin/env bash
# Point the Pulumi CLI and the program at the CI credentials (docs/ci.md, "How the job signs in").
#
#   pulumi-ci-login.sh BACKEND_URL STACK
#
# Before it runs, aws-actions/configure-aws-credentials has written the OIDC session of the
# management-account role to the AWS profile `lz-management`. That session reaches the state
# bucket and its keys across accounts: their policies name the CI roles (docs/ci.md). This script
#  1. logs in to the S3 backend (the Pulumi CLI and the awskms:// secrets provider read
#     AWS_PROFILE=lz-management, which the workflow sets on the Pulumi steps);
#  2. sets the stack's `aws:profile` to `lz-management` in the runner's copy of the stack file,
#     replacing the operator's profile, so the program's providers use the CI role. Nothing is
#     committed: the checkout is thrown away with the runner.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 BACKEND_URL STACK" >&2
  exit 2
fi
backend_url="$1" stack="$2"
case "$backend_url" in
  s3://*) ;;
  *) echo "pulumi-ci-login: '$backend_url' is not an s3:// backend URL: set LZ_BACKEND_URL to" \
          "the landing-zone stack's state_backend.backend_url output (docs/ci.md)" >&2; exit 2 ;;
esac

AWS_PROFILE=lz-management pulumi login "$backend_url"
AWS_PROFILE=lz-management pulumi config set aws:profile lz-management --stack "$stack"
