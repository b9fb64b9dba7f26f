using AliyunIot.Json;

namespace AliyunIot.Alink
{
    /// <summary>
    /// The top-level members of one Alink message — a request
    /// <c>{"id":"1","version":"1.0","params":{…},"method":"thing.service.property.set"}</c> or a reply
    /// <c>{"code":200,"data":{},"id":"1","message":"success"}</c> — read in one pass with <see cref="JsonReader"/>
    /// over the received bytes. The whole document is validated; <c>params</c> and <c>data</c> are not
    /// materialized but remembered as byte ranges that <see cref="OpenParams"/> and <see cref="ReadData"/> read
    /// later, so a property set costs no document tree. Problems are returned, never thrown, and name the field
    /// without repeating its value. A repeated member keeps its last value. One instance is reused per message.
    /// </summary>
    public sealed class AlinkEnvelope
    {
        private readonly JsonReader _reader = new JsonReader();
        private readonly JsonReader _params = new JsonReader();
        private byte[] _payload;
        private int _maxDepth;
        private int _paramsStart;
        private int _paramsLength;
        private int _dataStart;
        private int _dataLength;

        /// <summary>The message id as a decimal string, or null (<see cref="IdProblem"/> says why).</summary>
        public string Id { get; private set; }

        /// <summary>Why the id is unusable ("field id: missing" …), or null.</summary>
        public string IdProblem { get; private set; }

        /// <summary>The <c>method</c> member, or null when absent or JSON null.</summary>
        public string Method { get; private set; }

        /// <summary>Set when <c>method</c> is present but not a string.</summary>
        public string MethodProblem { get; private set; }

        /// <summary>The <c>version</c> member when a string, else null.</summary>
        public string Version { get; private set; }

        /// <summary>The <c>message</c> member when a string, else null.</summary>
        public string Message { get; private set; }

        /// <summary>True when the document has a <c>method</c> member (even null).</summary>
        public bool HasMethod { get; private set; }

        /// <summary>True when the document has a <c>code</c> member.</summary>
        public bool HasCode { get; private set; }

        /// <summary>The <c>code</c> member when it is an integer in int's range.</summary>
        public int Code { get; private set; }

        /// <summary>Why <c>code</c> is unusable ("field code: missing" …), or null.</summary>
        public string CodeProblem { get; private set; }

        /// <summary>First token of <c>params</c>: <see cref="JsonToken.None"/> when absent, <see cref="JsonToken.Null"/> for null.</summary>
        public JsonToken ParamsKind { get; private set; }

        /// <summary>First token of <c>data</c>: <see cref="JsonToken.None"/> when absent.</summary>
        public JsonToken DataKind { get; private set; }

        /// <summary>True when the message has the shape of a reply: <c>code</c>, and neither <c>method</c> nor <c>params</c>.</summary>
        public bool LooksLikeReply
        {
            get { return HasCode && !HasMethod && ParamsKind == JsonToken.None; }
        }

        /// <summary>
        /// Reads the top level of <paramref name="count"/> bytes of <paramref name="payload"/>, which must stay
        /// unchanged while this envelope is used.
        /// </summary>
        /// <returns>null when the text is one JSON object, otherwise why not (safe to log).</returns>
        public string Read(byte[] payload, int count, int maxDepth)
        {
            Clear();
            _payload = payload;
            _maxDepth = maxDepth;
            JsonReader r = _reader;
            r.Reset(payload, 0, count, maxDepth);
            if (!r.Read())
            {
                return r.Problem;
            }

            if (r.Token != JsonToken.StartObject)
            {
                return "expected a JSON object";
            }

            bool hasId = false;
            bool hasCode = false;
            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                if (r.ValueEquals("id"))
                {
                    hasId = true;
                    ReadId(r);
                }
                else if (r.ValueEquals("method"))
                {
                    HasMethod = true;
                    r.Read();
                    Method = r.Token == JsonToken.String ? r.GetString() : null;
                    MethodProblem = r.Token == JsonToken.String || r.Token == JsonToken.Null ? null : "field method: expected string";
                    r.Skip();
                }
                else if (r.ValueEquals("version"))
                {
                    r.Read();
                    Version = r.Token == JsonToken.String ? r.GetString() : null;
                    r.Skip();
                }
                else if (r.ValueEquals("message"))
                {
                    r.Read();
                    Message = r.Token == JsonToken.String ? r.GetString() : null;
                    r.Skip();
                }
                else if (r.ValueEquals("code"))
                {
                    hasCode = true;
                    ReadCode(r);
                }
                else if (r.ValueEquals("params"))
                {
                    ParamsKind = SkipValue(r, out _paramsStart, out _paramsLength);
                }
                else if (r.ValueEquals("data"))
                {
                    DataKind = SkipValue(r, out _dataStart, out _dataLength);
                }
                else
                {
                    r.Skip();
                }

                if (r.Token == JsonToken.Error)
                {
                    break;
                }
            }

            if (r.Token != JsonToken.EndObject || r.Read() || r.Token != JsonToken.EndOfDocument)
            {
                return r.Problem == null ? "not valid JSON" : r.Problem;
            }

            HasCode = hasCode;
            if (!hasId)
            {
                IdProblem = "field id: missing";
            }

            if (!hasCode)
            {
                CodeProblem = "field code: missing";
            }

            return null;
        }

        /// <summary>
        /// A reader over the <c>params</c> value alone (positioned before its first token), or null when
        /// <c>params</c> is absent. The reader is reused by the next call.
        /// </summary>
        public JsonReader OpenParams()
        {
            if (ParamsKind == JsonToken.None)
            {
                return null;
            }

            _params.Reset(_payload, _paramsStart, _paramsLength, _maxDepth);
            return _params;
        }

        /// <summary>The <c>params</c> value as a document tree (Hashtable, ArrayList, value), or null when absent or null.</summary>
        public object ReadParams()
        {
            return ReadRange(_paramsStart, _paramsLength, ParamsKind);
        }

        /// <summary>The <c>data</c> value as a document tree (Hashtable, ArrayList, value), or null when absent or null.</summary>
        public object ReadData()
        {
            return ReadRange(_dataStart, _dataLength, DataKind);
        }

        /// <summary>The message as a reply, or null when its id or code is unusable (<paramref name="problem"/> says which).</summary>
        public AlinkReply ToReply(out string problem)
        {
            problem = IdProblem != null ? IdProblem : CodeProblem;
            if (problem != null)
            {
                return null;
            }

            return new AlinkReply(Id, Code, ReadData(), Message, Method, Version);
        }

        // Steps over the value after a member name, remembering where it is; returns its first token.
        private static JsonToken SkipValue(JsonReader r, out int start, out int length)
        {
            r.Read();
            JsonToken kind = r.Token;
            start = r.TokenStart;
            r.Skip();
            length = r.Position - start;
            return kind;
        }

        private object ReadRange(int start, int length, JsonToken kind)
        {
            if (kind == JsonToken.None || kind == JsonToken.Null)
            {
                return null;
            }

            // The range was validated by Read, so this cannot fail.
            string ignored;
            return JsonTree.Parse(_payload, start, length, _maxDepth, out ignored);
        }

        private void ReadId(JsonReader r)
        {
            Id = null;
            IdProblem = null;
            r.Read();
            if (r.Token == JsonToken.String)
            {
                string text = r.GetString();
                if (JsonValues.IsDecimalId(text))
                {
                    Id = text;
                    return;
                }

                IdProblem = "field id: expected 1.." + JsonValues.MaxIdLength.ToString() + " decimal digits";
                return;
            }

            long number;
            if (r.TryGetInt64(out number) && number >= 0)
            {
                Id = number.ToString();
                return;
            }

            IdProblem = r.Token == JsonToken.Null ? "field id: missing" : "field id: expected a decimal string or a non-negative integer";
            r.Skip();
        }

        private void ReadCode(JsonReader r)
        {
            CodeProblem = null;
            r.Read();
            long code;
            if (r.TryGetInt64(out code))
            {
                if (code < int.MinValue || code > int.MaxValue)
                {
                    CodeProblem = "field code: out of range";
                    return;
                }

                Code = (int)code;
                return;
            }

            if (r.Token == JsonToken.Null)
            {
                CodeProblem = "field code: missing";
            }
            else if (r.Token == JsonToken.Number)
            {
                // A fraction, or an integer beyond long: a number, just not an integer.
                CodeProblem = "field code: expected integer";
            }
            else
            {
                CodeProblem = "field code: expected number";
            }

            r.Skip();
        }

        private void Clear()
        {
            Id = null;
            IdProblem = null;
            Method = null;
            MethodProblem = null;
            Version = null;
            Message = null;
            HasMethod = false;
            HasCode = false;
            Code = 0;
            CodeProblem = null;
            ParamsKind = JsonToken.None;
            DataKind = JsonToken.None;
            _paramsStart = 0;
            _paramsLength = 0;
            _dataStart = 0;
            _dataLength = 0;
        }
    }
}
