"""The shapes of conversations in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kitbag.conversations.models import AnalysisRun, Conversation, Statement

MODE_HELP = "polis (Polis-faithful) or improved (reproducible from the votes alone)."


class ConversationSerializer(serializers.ModelSerializer[Conversation]):
    # Plain integers and strings: a model's PositiveIntegerField gives a different maximum on each
    # database, which would make the published schema depend on the database.
    max_statement_length = serializers.IntegerField(read_only=True)
    analysis_mode = serializers.CharField(read_only=True, help_text=MODE_HELP)
    owner = serializers.CharField(
        source="owner.slug", read_only=True, allow_null=True, help_text="The owner's registry slug."
    )
    consultation_slug = serializers.SerializerMethodField(
        help_text="The consultation it is part of; empty when none, or while that is a draft."
    )
    closed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was closed; null while open."
    )

    class Meta:
        model = Conversation
        fields = [
            "slug",
            "title",
            "question",
            "owner",
            "consultation_slug",
            "moderation",
            "allow_anonymous",
            "max_statement_length",
            "analysis_mode",
            "source_url",
            "attribution",
            "closed_at",
        ]

    def get_consultation_slug(self, conversation: Conversation) -> str:
        consultation = conversation.consultation
        # A draft consultation is its organisation's business: the API is the same for everyone.
        if consultation is None or consultation.is_draft:
            return ""
        return consultation.slug


class StatementSerializer(serializers.ModelSerializer[Statement]):
    id = serializers.IntegerField(source="number", help_text="Polis's comment-id.")
    agree = serializers.IntegerField(source="agree_count")
    disagree = serializers.IntegerField(source="disagree_count")
    passed = serializers.IntegerField(source="pass_count")

    class Meta:
        model = Statement
        fields = ["id", "text", "is_seed", "is_meta", "state", "agree", "disagree", "passed"]


class VoteSerializer(serializers.Serializer[Any]):
    statement = serializers.IntegerField(help_text="The statement's id.")
    vote = serializers.ChoiceField(choices=["agree", "disagree", "pass"])


class VoteResultSerializer(serializers.Serializer[Any]):
    statement = serializers.IntegerField()
    vote = serializers.CharField()


class AnalysisSerializer(serializers.ModelSerializer[AnalysisRun]):
    """A stored run: its inputs' fingerprint, mode, parameters, code version, every k's silhouette,
    the k chosen and why, and the results (groups without their members)."""

    mode = serializers.CharField(read_only=True, help_text=MODE_HELP)
    k = serializers.IntegerField(read_only=True, allow_null=True)
    n_votes = serializers.IntegerField(read_only=True)
    groups = serializers.SerializerMethodField()
    consensus = serializers.SerializerMethodField()
    group_informed_consensus = serializers.SerializerMethodField()
    priority = serializers.SerializerMethodField()

    class Meta:
        model = AnalysisRun
        fields = [
            "created_at",
            "fingerprint",
            "mode",
            "parameters",
            "code_version",
            "silhouettes",
            "k",
            "k_reason",
            "n_votes",
            "seconds",
            "groups",
            "consensus",
            "group_informed_consensus",
            "priority",
        ]

    def get_groups(self, run: AnalysisRun) -> list[dict[str, Any]]:
        return [
            {
                "id": g["id"],
                "size": g["size"],
                "representative": [
                    {
                        "statement": r["statement"],
                        "repful": r["repful"],
                        "agree": r["na"],
                        "disagree": r["nd"],
                        "seen": r["ns"],
                    }
                    for r in g["representative"]
                ],
            }
            for g in run.result.get("groups", [])
        ]

    def get_consensus(self, run: AnalysisRun) -> dict[str, Any]:
        return dict(run.result.get("consensus", {}))

    def get_group_informed_consensus(self, run: AnalysisRun) -> dict[str, float]:
        return dict(run.result.get("group_informed_consensus", {}))

    def get_priority(self, run: AnalysisRun) -> dict[str, float]:
        return dict(run.result.get("priority", {}))
