"""Imports of exchange files from the back office: upload, preview, confirmed import as a job."""
