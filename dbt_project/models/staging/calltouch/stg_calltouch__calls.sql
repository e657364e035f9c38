{{ config(enabled=source_enabled('calltouch')) }}
-- Calltouch calls in the canonical shape. The call's browser is its Metrica ClientID (yaClientId),
-- else the API's clientId; its tracked session is Calltouch's own sessionId, namespaced
-- 'calltouch:' so it can never join another source's visit ids by accident.
{%- set tags = ['utm_source', 'utm_medium', 'utm_campaign'] %}
with source as (
    select * from {{ source('raw_calltouch', 'calls') }}
    where reject_reason is null
),

-- empty tags fall back to the ones in the page the call came from, read only for those rows
url_fallback as (
    select
        *,
        {% for tag in tags -%}
        {{ url_param_if(clean_tag(tag) ~ ' is null', 'call_url', tag) }} as url_{{ tag }}
        {{- ',' if not loop.last }}
        {% endfor %}
    from source
),

renamed as (
    select
        {{ clean_text('call_id') }} as call_id,
        'calltouch' as source_system,
        {{ to_utc_timestamp('started_at') }} as started_at,
        {{ clean_text('caller_key') }} as caller_key,
        cast(duration_s as {{ dbt.type_bigint() }}) as duration_s,
        -- a unique target call is a target call; false only when a flag says so
        case
            when is_target_call or is_uniq_target_call then true
            else coalesce(is_target_call, is_uniq_target_call)
        end as is_target,
        case
            when {{ clean_text('session_id') }} is not null
                then {{ dbt.concat(["'calltouch:'", clean_text('session_id')]) }}
        end as visit_id,
        coalesce({{ clean_text('ya_client_id') }}, {{ clean_text('client_id') }}) as client_id,
        {% for tag in tags -%}
        coalesce({{ clean_tag(tag) }}, {{ clean_tag('url_' ~ tag) }}) as {{ tag }}
        {{- ',' if not loop.last }}
        {% endfor %}
    from url_fallback
),

final as (
    select
        call_id,
        source_system,
        started_at,
        caller_key,
        duration_s,
        cast(is_target as {{ dbt.type_boolean() }}) as is_target,
        visit_id,
        client_id,
        utm_source,
        utm_medium,
        utm_campaign
    from renamed
)

select * from final
