"""The read-only reporting API: one organisation's learners, assignments and statuses
for HR and business-intelligence tools, authenticated by an API token."""
