"""GB/T 9704-2012: building official-document templates by code, and checking any .docx."""
