"""Credit reports as PDF: layout, font, QR code and signature.

What goes in comes from portal.services.credit_reports.reports.
"""
