"""One vector per search document: what the document means, as the encoder named beside it saw it."""

from __future__ import annotations

from django.db import models

from kitbag.search.models import SearchDocument


class Embedding(models.Model):
    # One per search document, and gone with it: what the search may show (its kind, whether it
    # is public) is the document's, so the vector search applies the same visibility as the text.
    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    # Encoder.name: a different model means this vector is stale (re-embedded by `kitbag embed`).
    model = models.CharField(max_length=100)
    # Little-endian float32 (vectors.py): 1,536 bytes for 384 dimensions, the same on both databases.
    vector = models.BinaryField()
    # A hash of the text embedded, so a write that changed nothing the vector reads costs nothing.
    text_hash = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["model"])]

    def __str__(self) -> str:
        return f"{self.document_id} ({self.model})"
