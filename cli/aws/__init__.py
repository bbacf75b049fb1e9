"""boto3 plumbing shared by the operator commands: sessions with retries and credential errors
translated into hints (session.py), and a read-only inventory of the live organization
(inventory.py). No module-level clients: every function takes an `AwsSession`."""
