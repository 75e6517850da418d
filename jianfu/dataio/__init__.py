"""Data in and out: spreadsheets read and validated, exports, the blank template, the form."""
