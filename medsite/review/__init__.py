"""The review rules (approved, changed since review, overdue...) and the catalog of every article, checked at
once."""
