#!/usr/bin/env bash
# Point the Pulumi CLI and the program at the CI credentials (docs/ci.md, "How the job signs in").
#
#   pulumi-ci-login.sh STATE_ROLE_ARN BACKEND_URL STACK
#
# Before it runs, aws-actions/configure-aws-credentials has written the OIDC session of the
# management-account role to the AWS profile `lz-management`. This script
#  1. adds the profile `lz-state`: the state-account role, assumed from `lz-management`. The SDK
#     re-assumes it when it expires, so a long `pulumi up` keeps its backend access;
#  2. logs in to the S3 backend (the Pulumi CLI and the awskms:// secrets provider read
#     AWS_PROFILE=lz-state, which the workflow sets on the Pulumi steps);
#  3. sets the stack's `aws:profile` to `lz-management` in the runner's copy of the stack file,
#     replacing the operator's profile, so the program's providers use the CI role. Nothing is
#     committed: the checkout is thrown away with the runner.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 STATE_ROLE_ARN BACKEND_URL STACK" >&2
  exit 2
fi
state_role_arn="$1" backend_url="$2" stack="$3"
case "$state_role_arn" in
  arn:aws*:iam::[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]:role/*) ;;
  *) echo "pulumi-ci-login: '$state_role_arn' is not an IAM role ARN: set the repository" \
          "variables of docs/ci.md" >&2; exit 2 ;;
esac
case "$backend_url" in
  s3://*) ;;
  *) echo "pulumi-ci-login: '$backend_url' is not an s3:// backend URL: set LZ_BACKEND_URL to" \
          "the landing-zone stack's state_backend.backend_url output" >&2; exit 2 ;;
esac

config_file="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
mkdir -p "$(dirname "$config_file")"
cat >> "$config_file" <<PROFILE

[profile lz-state]
role_arn = ${state_role_arn}
source_profile = lz-management
role_session_name = landing-zone-ci-state
PROFILE

AWS_PROFILE=lz-state pulumi login "$backend_url"
AWS_PROFILE=lz-state pulumi config set aws:profile lz-management --stack "$stack"
