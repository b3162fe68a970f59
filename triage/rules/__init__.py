"""The rule base: one KnowledgeEngine mixin per clinical area.

Every rule method carries a rule id (see `rule_id`) whose rationale, sources
and conditions in words live in `triage/knowledge/rules.yaml`.
"""
