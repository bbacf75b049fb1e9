"""`./lz plan`: the program run offline, shown as a tree, tables, warnings, JSON or a diagram."""

from cli.plan.diagram import DIAGRAM_MARKER, organization_chart, organization_diagram
from cli.plan.export import plan_document
from cli.plan.model import Note, Plan, fake_aws_for, make_plan, run_program
from cli.plan.render import print_plan
from cli.plan.terraform_plan import terraform_plan

__all__ = ["DIAGRAM_MARKER", "Note", "Plan", "fake_aws_for", "make_plan", "organization_chart",
           "organization_diagram", "plan_document", "print_plan", "run_program", "terraform_plan"]
