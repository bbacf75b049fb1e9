"""IAM, SCP and resource policy documents the components attach, built from plain values.

Each builder returns one whole document (a dict), so components render it inside a single
`apply` and the tests check size and lint with no engine.
"""
