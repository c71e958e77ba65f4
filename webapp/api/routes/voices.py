"""The Voices endpoints: a workspace's brand voices, and every voice its posts may use."""

from __future__ import annotations

from flask import jsonify

from ...errors import ErrorCode
from ...services import voices as voice_service
from ...services import workspaces as workspace_service
from ...services.access import Permission
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.voices import (
    Catalogue,
    CatalogueQuery,
    VoiceCreate,
    VoiceList,
    VoiceListQuery,
    VoiceOut,
    VoiceUpdate,
)

TAG = "Voices"
_READ = (ErrorCode.WORKSPACE_NOT_FOUND,)
_ONE = (ErrorCode.WORKSPACE_NOT_FOUND, ErrorCode.VOICE_NOT_FOUND)
_MANAGE = (ErrorCode.WORKSPACE_NOT_FOUND, ErrorCode.INSUFFICIENT_ROLE)


def voice_json(voice) -> dict:
    return VoiceOut.model_validate(
        {
            "id": voice.id,
            "voice": voice_service.reference(voice),
            "workspace_id": voice.workspace_id,
            "name": voice.name,
            "description": voice.description,
            "dos": voice.dos,
            "donts": voice.donts,
            "examples": voice.examples,
            "created_by": voice.created_by,
            "created_at": voice.created_at,
            "updated_at": voice.updated_at,
        }
    ).model_dump(mode="json")


def _workspace(workspace_id: str, need: Permission = Permission.READ):
    return workspace_service.get_workspace_or_404(workspace_id, current_principal().user, need)


@bp.get("/voices")
@endpoint(
    "List every voice a workspace's posts may use: built-in and brand voices, with the "
    "lowest plan of each and whether the workspace's plan has it",
    tag=TAG,
    query=CatalogueQuery,
    response=Catalogue,
    errors=_READ,
)
def list_voices(query: CatalogueQuery):
    user = current_principal().user
    if query.workspace_id is None:
        workspace = workspace_service.personal_workspace_of(user)
    else:
        workspace = workspace_service.get_workspace_or_404(query.workspace_id, user)
    entries = voice_service.catalogue(workspace)
    return jsonify({"voices": entries, "total": len(entries)})


@bp.get("/workspaces/<workspace_id>/voices")
@endpoint(
    "List a workspace's brand voices, by name",
    tag=TAG,
    query=VoiceListQuery,
    response=VoiceList,
    errors=_READ,
)
def list_workspace_voices(workspace_id: str, query: VoiceListQuery):
    voices, total = voice_service.list_voices(_workspace(workspace_id), query.limit, query.offset)
    return jsonify({"voices": [voice_json(v) for v in voices], "total": total})


@bp.post("/workspaces/<workspace_id>/voices")
@endpoint(
    "Create a brand voice (admins and the owner; starter plan and above)",
    tag=TAG,
    body=VoiceCreate,
    response=VoiceOut,
    status=201,
    errors=(*_MANAGE, ErrorCode.VOICE_NOT_AVAILABLE),
)
def create_voice(workspace_id: str, body: VoiceCreate):
    workspace = _workspace(workspace_id, Permission.MANAGE)
    voice = voice_service.create_voice(
        workspace, current_principal().user, **body.model_dump(exclude_unset=True)
    )
    return voice_json(voice), 201


@bp.get("/workspaces/<workspace_id>/voices/<voice_id>")
@endpoint("Get a brand voice", tag=TAG, response=VoiceOut, errors=_ONE)
def get_voice(workspace_id: str, voice_id: str):
    return voice_json(voice_service.get_voice_or_404(_workspace(workspace_id), voice_id))


@bp.patch("/workspaces/<workspace_id>/voices/<voice_id>")
@endpoint(
    "Change a brand voice (admins and the owner; starter plan and above)",
    tag=TAG,
    body=VoiceUpdate,
    response=VoiceOut,
    errors=(*_ONE, ErrorCode.INSUFFICIENT_ROLE, ErrorCode.VOICE_NOT_AVAILABLE),
)
def update_voice(workspace_id: str, voice_id: str, body: VoiceUpdate):
    workspace = _workspace(workspace_id, Permission.MANAGE)
    voice = voice_service.get_voice_or_404(workspace, voice_id)
    changes = body.model_dump(exclude_unset=True)
    return voice_json(voice_service.update_voice(voice, current_principal().user, **changes))


@bp.delete("/workspaces/<workspace_id>/voices/<voice_id>")
@endpoint(
    "Delete a brand voice (admins and the owner); posts requested in it and not yet "
    "written use the professional voice",
    tag=TAG,
    status=204,
    errors=(*_ONE, ErrorCode.INSUFFICIENT_ROLE),
)
def delete_voice(workspace_id: str, voice_id: str):
    workspace = _workspace(workspace_id, Permission.MANAGE)
    voice_service.delete_voice(
        voice_service.get_voice_or_404(workspace, voice_id), current_principal().user
    )
