using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace NanoGuard
{
    /// <summary>
    /// Walks one syntax tree of portable code and reports every construct nanoFramework 1.x lacks. One diagnostic
    /// per construct: a diagnostic is not repeated for nodes inside a span already reported with the same id.
    /// </summary>
    internal sealed class PortableCodeWalker
    {
        private static readonly Regex SupportedNumericFormat = new Regex("^[DdFfGgNnXx][0-9]{0,2}$", RegexOptions.CultureInvariant);

        // A format item of a composite format: {index[,alignment][:format]}; "{{" and "}}" are literal braces.
        private static readonly Regex CompositeFormatItem = new Regex(@"(?<!\{)(?:\{\{)*\{(?<index>[0-9]+)\s*(?:,\s*-?[0-9]+\s*)?:(?<format>[^}]*)\}", RegexOptions.CultureInvariant);

        private readonly SemanticModel _model;
        private readonly ApiConformance _api;
        private readonly Action<Diagnostic> _report;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<string, List<TextSpan>> _reported = new Dictionary<string, List<TextSpan>>();

        public PortableCodeWalker(SemanticModel model, ApiConformance api, Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            _model = model;
            _api = api;
            _report = report;
            _cancellationToken = cancellationToken;
        }

        public void Run()
        {
            SyntaxNode root = _model.SyntaxTree.GetRoot(_cancellationToken);
            foreach (SyntaxNode node in root.DescendantNodes())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                VisitLanguage(node);
                if (!InsideNameof(node))
                {
                    VisitSemantics(node);
                }
            }
        }

        // ---------------------------------------------------------------- language features (syntax)

        private void VisitLanguage(SyntaxNode node)
        {
            switch (node)
            {
                case TypeParameterListSyntax typeParameters:
                    Report(Rules.GenericDeclaration, typeParameters, DeclarationName(typeParameters.Parent));
                    break;
                case GenericNameSyntax generic:
                    ReportGenericName(generic);
                    break;
                case RecordDeclarationSyntax record:
                    Report(Rules.Record, record.Identifier.GetLocation(), "record " + record.Identifier.ValueText);
                    break;
                case YieldStatementSyntax yield:
                    Report(Rules.Iterator, yield, yield.ReturnOrBreakKeyword.IsKind(SyntaxKind.BreakKeyword) ? "yield break" : "yield return");
                    break;
                case AwaitExpressionSyntax await:
                    Report(Rules.Async, await.AwaitKeyword.GetLocation(), "await");
                    break;
                case QueryExpressionSyntax query:
                    Report(Rules.Query, query.FromClause.FromKeyword.GetLocation(), "from ... select");
                    break;
                case TupleTypeSyntax tupleType:
                    Report(Rules.Tuple, tupleType, tupleType.ToString());
                    break;
                case TupleExpressionSyntax tuple:
                    Report(Rules.Tuple, tuple, tuple.ToString());
                    break;
                case ParenthesizedVariableDesignationSyntax designation:
                    Report(Rules.Tuple, designation, "deconstruction " + designation);
                    break;
                case PositionalPatternClauseSyntax positional:
                    Report(Rules.Tuple, positional, "positional pattern " + positional);
                    break;
                case NullableTypeSyntax nullable:
                    Report(Rules.NullableValue, nullable, nullable.ToString());
                    break;
                case StackAllocArrayCreationExpressionSyntax stackAlloc:
                    Report(Rules.Span, stackAlloc.StackAllocKeyword.GetLocation(), "stackalloc");
                    break;
                case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackAlloc:
                    Report(Rules.Span, implicitStackAlloc.StackAllocKeyword.GetLocation(), "stackalloc");
                    break;
                case ArrayRankSpecifierSyntax rank when rank.Rank > 1:
                    Report(Rules.MultiDimensionalArray, rank, rank.Parent != null ? rank.Parent.ToString() : rank.ToString());
                    break;
                case InterpolationFormatClauseSyntax format:
                    CheckInterpolationFormat(format);
                    break;
                case ForEachStatementSyntax forEach when forEach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword):
                    Report(Rules.Async, forEach.AwaitKeyword.GetLocation(), "await foreach");
                    break;
                case UsingStatementSyntax usingStatement when usingStatement.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword):
                    Report(Rules.Async, usingStatement.AwaitKeyword.GetLocation(), "await using");
                    break;
                case LocalDeclarationStatementSyntax local when local.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword):
                    Report(Rules.Async, local.AwaitKeyword.GetLocation(), "await using");
                    break;
            }

            SyntaxToken asyncKeyword = AsyncModifier(node);
            if (asyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
            {
                Report(Rules.Async, asyncKeyword.GetLocation(), "async");
            }
        }

        private static SyntaxToken AsyncModifier(SyntaxNode node)
        {
            switch (node)
            {
                case MemberDeclarationSyntax member:
                    return member.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.AsyncKeyword));
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.AsyncKeyword));
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword;
                default:
                    return default(SyntaxToken);
            }
        }

        private void ReportGenericName(GenericNameSyntax generic)
        {
            ITypeSymbol type = _model.GetSymbolInfo(generic, _cancellationToken).Symbol as ITypeSymbol;
            DiagnosticDescriptor rule = type != null ? SpecialGenericRule(type) : null;
            Report(rule ?? Rules.GenericUse, generic, generic.ToString());
        }

        private void CheckInterpolationFormat(InterpolationFormatClauseSyntax format)
        {
            var interpolation = format.Parent as InterpolationSyntax;
            ITypeSymbol type = interpolation != null ? _model.GetTypeInfo(interpolation.Expression, _cancellationToken).Type : null;
            if (IsNumeric(type) && !SupportedNumericFormat.IsMatch(format.FormatStringToken.ValueText))
            {
                Report(Rules.FormatString, format, format.FormatStringToken.ValueText);
            }
        }

        // ---------------------------------------------------------------- semantics (symbols, types, API listing)

        private void VisitSemantics(SyntaxNode node)
        {
            switch (node)
            {
                case SimpleNameSyntax name:
                    CheckName(name);
                    break;
                case PredefinedTypeSyntax predefined:
                    CheckTypeUse(_model.GetTypeInfo(predefined, _cancellationToken).Type, predefined, byName: true);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    CheckCreation(creation);
                    break;
                case ElementAccessExpressionSyntax elementAccess:
                    CheckIndexer(elementAccess);
                    break;
                case ConstructorInitializerSyntax initializer:
                    CheckConstructorInitializer(initializer);
                    break;
                case AttributeSyntax attribute:
                    CheckMethodSymbol(_model.GetSymbolInfo(attribute, _cancellationToken).Symbol as IMethodSymbol, attribute.Name, null);
                    break;
                case ForEachStatementSyntax forEach:
                    CheckForEach(forEach);
                    break;
                case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.CollectionInitializerExpression):
                    foreach (ExpressionSyntax element in initializer.Expressions)
                    {
                        CheckMethodSymbol(_model.GetCollectionInitializerSymbolInfo(element, _cancellationToken).Symbol as IMethodSymbol, element, null);
                    }

                    break;
                case BinaryExpressionSyntax _:
                case PrefixUnaryExpressionSyntax _:
                case PostfixUnaryExpressionSyntax _:
                case AssignmentExpressionSyntax _:
                    CheckMethodSymbol(_model.GetSymbolInfo(node, _cancellationToken).Symbol as IMethodSymbol, node, null);
                    break;
                case InvocationExpressionSyntax invocation:
                    // Delegate invocation d(x) binds Invoke; calls through a name are checked at the name.
                    var invoke = _model.GetSymbolInfo(invocation, _cancellationToken).Symbol as IMethodSymbol;
                    if (invoke != null && invoke.MethodKind == MethodKind.DelegateInvoke && !(invocation.Expression is MemberAccessExpressionSyntax ma && ma.Name.Identifier.ValueText == "Invoke"))
                    {
                        CheckMethodSymbol(invoke, invocation, null);
                    }

                    break;
                case MethodDeclarationSyntax method:
                    CheckOverride(_model.GetDeclaredSymbol(method, _cancellationToken), method.Identifier.GetLocation());
                    break;
                case PropertyDeclarationSyntax property:
                    CheckOverride(_model.GetDeclaredSymbol(property, _cancellationToken), property.Identifier.GetLocation());
                    break;
                case ClassDeclarationSyntax classDeclaration:
                    CheckImplicitBaseConstructor(classDeclaration);
                    break;
            }

            var expression = node as ExpressionSyntax;
            if (expression != null)
            {
                CheckExpression(expression);
            }
        }

        private void CheckName(SimpleNameSyntax name)
        {
            SymbolInfo info = _model.GetSymbolInfo(name, _cancellationToken);
            ISymbol symbol = info.Symbol;
            if (symbol == null)
            {
                return;
            }

            switch (symbol)
            {
                case ITypeSymbol type:
                    CheckTypeUse(type, name, byName: true);
                    break;
                case IMethodSymbol method:
                    CheckMethodSymbol(method, name, InvocationArguments(name));
                    break;
                case IPropertySymbol property:
                    CheckProperty(property, name, null);
                    break;
                case IFieldSymbol field:
                    if (_api.HasListing && _api.IsFramework(field) && !IsGeneric(field.ContainingType) && !field.ContainingType.IsTupleType)
                    {
                        ReportApi(name, field.ContainingType.Name + "." + field.Name, _api.CheckField(field, ReceiverType(name)));
                    }

                    break;
                case IEventSymbol ev:
                    if (_api.HasListing && _api.IsFramework(ev) && !IsGeneric(ev.ContainingType))
                    {
                        bool remove = name.Parent is AssignmentExpressionSyntax a && a.IsKind(SyntaxKind.SubtractAssignmentExpression)
                            || name.Parent?.Parent is AssignmentExpressionSyntax b && b.IsKind(SyntaxKind.SubtractAssignmentExpression);
                        ReportApi(name, ev.ContainingType.Name + "." + ev.Name, _api.CheckEvent(ev, remove, ReceiverType(name)));
                    }

                    break;
            }
        }

        private IEnumerable<IArgumentOperation> InvocationArguments(SimpleNameSyntax name)
        {
            SyntaxNode expression = name;
            if (name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
            {
                expression = access;
            }
            else if (name.Parent is MemberBindingExpressionSyntax binding && binding.Name == name)
            {
                expression = binding;
            }

            if (expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression)
            {
                var operation = _model.GetOperation(invocation, _cancellationToken) as IInvocationOperation;
                if (operation != null)
                {
                    return operation.Arguments;
                }
            }

            return null;
        }

        private void CheckCreation(BaseObjectCreationExpressionSyntax creation)
        {
            IOperation operation = _model.GetOperation(creation, _cancellationToken);
            var create = operation as IObjectCreationOperation;
            if (create != null && create.Constructor != null)
            {
                if (create.Constructor.IsImplicitlyDeclared && create.Constructor.ContainingType.IsValueType && create.Constructor.Parameters.Length == 0)
                {
                    return; // default(T) of a struct: no constructor runs.
                }

                CheckMethodSymbol(create.Constructor, creation, create.Arguments);
            }
        }

        private void CheckIndexer(ElementAccessExpressionSyntax elementAccess)
        {
            var property = _model.GetSymbolInfo(elementAccess, _cancellationToken).Symbol as IPropertySymbol;
            if (property == null)
            {
                return;
            }

            var operation = _model.GetOperation(elementAccess, _cancellationToken) as IPropertyReferenceOperation;
            CheckProperty(property, elementAccess, operation != null ? operation.Arguments : (IEnumerable<IArgumentOperation>)null);
        }

        private void CheckConstructorInitializer(ConstructorInitializerSyntax initializer)
        {
            var method = _model.GetSymbolInfo(initializer, _cancellationToken).Symbol as IMethodSymbol;
            IOperation operation = _model.GetOperation(initializer, _cancellationToken);
            var invocation = operation as IInvocationOperation ?? (operation as IExpressionStatementOperation)?.Operation as IInvocationOperation;
            CheckMethodSymbol(method, initializer.ThisOrBaseKeyword, invocation?.Arguments);
        }

        private void CheckForEach(ForEachStatementSyntax forEach)
        {
            ITypeSymbol collection = _model.GetTypeInfo(forEach.Expression, _cancellationToken).Type;
            if (collection == null || collection.TypeKind == TypeKind.Array || collection.SpecialType == SpecialType.System_String)
            {
                return; // lowered to indexing on both platforms
            }

            ForEachStatementInfo info = _model.GetForEachStatementInfo(forEach);
            CheckMethodSymbol(info.GetEnumeratorMethod, forEach.Expression, null);
        }

        private void CheckOverride(ISymbol declared, Location location)
        {
            if (!_api.HasListing || declared == null || !declared.IsOverride)
            {
                return;
            }

            var method = declared as IMethodSymbol;
            if (method != null && method.OverriddenMethod != null && _api.IsFramework(method.OverriddenMethod) && !IsGeneric(method.OverriddenMethod.ContainingType))
            {
                IMethodSymbol overridden = method.OverriddenMethod;
                string reason = _api.CheckMethod(overridden.ContainingType, overridden.Name, _api.FromParameters(overridden.Parameters));
                ReportApi(location, "override " + overridden.ContainingType.Name + "." + overridden.Name, reason);
            }

            var property = declared as IPropertySymbol;
            if (property != null && property.OverriddenProperty != null && _api.IsFramework(property.OverriddenProperty) && !IsGeneric(property.OverriddenProperty.ContainingType))
            {
                IPropertySymbol overridden = property.OverriddenProperty;
                if (property.GetMethod != null)
                {
                    ReportApi(location, "override " + overridden.ContainingType.Name + "." + overridden.Name,
                        _api.CheckMethod(overridden.ContainingType, "get_" + overridden.MetadataName, _api.FromParameters(overridden.Parameters)));
                }

                if (property.SetMethod != null)
                {
                    var setParameters = _api.FromParameters(overridden.Parameters);
                    setParameters.Add(new ParameterUse(overridden.Type, RefKind.None));
                    ReportApi(location, "override " + overridden.ContainingType.Name + "." + overridden.Name,
                        _api.CheckMethod(overridden.ContainingType, "set_" + overridden.MetadataName, setParameters));
                }
            }
        }

        private void CheckImplicitBaseConstructor(ClassDeclarationSyntax declaration)
        {
            INamedTypeSymbol type = _model.GetDeclaredSymbol(declaration, _cancellationToken);
            INamedTypeSymbol baseType = type?.BaseType;
            if (!_api.HasListing || baseType == null || baseType.SpecialType == SpecialType.System_Object || !_api.IsFramework(baseType) || IsGeneric(baseType) || type.IsStatic)
            {
                return;
            }

            IMethodSymbol baseDefault = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
            if (baseDefault == null)
            {
                return; // the host would not compile either
            }

            foreach (IMethodSymbol constructor in type.InstanceConstructors)
            {
                bool implicitBaseCall = constructor.IsImplicitlyDeclared
                    || constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellationToken) is ConstructorDeclarationSyntax c && c.Initializer == null && c.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(c.Span));
                if (implicitBaseCall)
                {
                    ReportApi(declaration.Identifier.GetLocation(), baseType.Name + "()",
                        _api.CheckMethod(baseType, ".ctor", new List<ParameterUse>()));
                    return;
                }
            }
        }

        private void CheckProperty(IPropertySymbol property, SyntaxNode at, IEnumerable<IArgumentOperation> indexArguments)
        {
            IsForbidden(property, at);
            if (!_api.HasListing || !_api.IsFramework(property) || IsGeneric(property.ContainingType) || property.ContainingType.IsTupleType)
            {
                return;
            }

            bool read, write;
            Usage(at, out read, out write);
            IMethodSymbol accessor = property.GetMethod ?? property.SetMethod;
            List<ParameterUse> index = indexArguments != null && accessor != null
                ? _api.FromArguments(accessor, indexArguments)
                : _api.FromParameters(property.Parameters);

            string display = property.ContainingType.Name + "." + (property.IsIndexer ? "this[]" : property.Name);
            if (read)
            {
                string getter = property.GetMethod != null ? property.GetMethod.Name : "get_" + property.MetadataName;
                ReportApi(at, display, CheckAccessor(property, getter, index, ReceiverType(at), property.IsIndexer ? null : property.Name));
            }

            if (write)
            {
                string setter = property.SetMethod != null ? property.SetMethod.Name : "set_" + property.MetadataName;
                var parameters = new List<ParameterUse>(index) { new ParameterUse(property.Type, RefKind.None) };
                ReportApi(at, display, CheckAccessor(property, setter, parameters, ReceiverType(at), property.IsIndexer || parameters.Count != 1 ? null : property.Name));
            }
        }

        /// <summary>
        /// Checks a property accessor. Indexer names differ between the platforms (String and StringBuilder use
        /// [IndexerName("Chars")] on .NET, nanoFramework's StringBuilder lists get_Item), so an indexer matches a
        /// listed get_Item/get_Chars (set_Item/set_Chars) with the same parameters.
        /// </summary>
        private string CheckAccessor(IPropertySymbol property, string accessor, List<ParameterUse> parameters, ITypeSymbol receiver, string fieldAlternative)
        {
            string reason = _api.CheckMethod(property.ContainingType, accessor, parameters, receiver, fieldAlternative);
            if (reason == null || !property.IsIndexer)
            {
                return reason;
            }

            string prefix = accessor.Substring(0, 4);
            foreach (string name in new[] { prefix + "Item", prefix + "Chars" })
            {
                if (name != accessor && _api.CheckMethod(property.ContainingType, name, parameters, receiver) == null)
                {
                    return null;
                }
            }

            return reason;
        }

        /// <summary>The static type of the receiver of a member access at this node (the enclosing type when unqualified).</summary>
        private ITypeSymbol ReceiverType(SyntaxNodeOrToken at)
        {
            SyntaxNode node = at.IsNode ? at.AsNode() : at.Parent;
            if (node == null)
            {
                return null;
            }

            if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            {
                return _model.GetTypeInfo(access.Expression, _cancellationToken).Type;
            }

            if (node is ElementAccessExpressionSyntax elementAccess)
            {
                return _model.GetTypeInfo(elementAccess.Expression, _cancellationToken).Type;
            }

            if (node.Parent is MemberBindingExpressionSyntax binding && binding.Name == node)
            {
                for (SyntaxNode n = binding.Parent; n != null; n = n.Parent)
                {
                    if (n is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull.Span.Contains(binding.Span))
                    {
                        return _model.GetTypeInfo(conditional.Expression, _cancellationToken).Type;
                    }
                }

                return null;
            }

            if (node is SimpleNameSyntax)
            {
                ISymbol enclosing = _model.GetEnclosingSymbol(node.SpanStart, _cancellationToken);
                return enclosing is INamedTypeSymbol type ? type : enclosing?.ContainingType;
            }

            return null;
        }

        private static void Usage(SyntaxNode at, out bool read, out bool write)
        {
            SyntaxNode expression = at;
            if (at.Parent is MemberAccessExpressionSyntax access && access.Name == at)
            {
                expression = access;
            }
            else if (at.Parent is MemberBindingExpressionSyntax binding && binding.Name == at)
            {
                expression = binding;
            }

            read = true;
            write = false;
            if (expression.Parent is AssignmentExpressionSyntax assignment && assignment.Left == expression)
            {
                write = true;
                read = !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression);
            }
            else if (expression.Parent is PrefixUnaryExpressionSyntax prefix
                && (prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression)))
            {
                write = true;
            }
            else if (expression.Parent is PostfixUnaryExpressionSyntax postfix
                && (postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression)))
            {
                write = true;
            }
        }

        private void CheckMethodSymbol(IMethodSymbol method, SyntaxNodeOrToken at, IEnumerable<IArgumentOperation> arguments)
        {
            if (method == null || method.MethodKind == MethodKind.BuiltinOperator || method.ContainingType == null)
            {
                return;
            }

            Location location = at.GetLocation();
            IsForbidden(method, location);
            bool framework = _api.IsFramework(method);

            if (method.IsGenericMethod)
            {
                if (!framework)
                {
                    Report(Rules.GenericUse, location, method.Name + "<>");
                    return;
                }

                // A framework generic method the host inferred (Array.IndexOf<T>): fine when the device has a
                // non-generic overload taking these arguments, otherwise it is a generic call.
                if (!_api.HasListing || IsGeneric(method.ContainingType)
                    || _api.CheckMethod(method.ContainingType, method.Name, _api.FromArguments(method, arguments), ReceiverType(at)) != null)
                {
                    Report(Rules.GenericUse, location, method.ContainingType.Name + "." + method.Name + "<>");
                }

                return;
            }

            if (!framework || !_api.HasListing || IsGeneric(method.ContainingType) || method.ContainingType.IsTupleType)
            {
                return;
            }

            IMethodSymbol target = method.ReducedFrom != null ? (method.GetConstructedReducedFrom() ?? method.ReducedFrom) : method;
            List<ParameterUse> used = _api.FromArguments(target, arguments);
            if (method.ReducedFrom != null && arguments == null)
            {
                used = _api.FromParameters(target.Parameters);
            }

            string display = target.ContainingType.Name + "." + (target.MethodKind == MethodKind.Constructor ? target.ContainingType.Name : target.Name);
            ITypeSymbol receiver = method.IsStatic ? null : ReceiverType(at);
            string reason = _api.CheckMethod(target.ContainingType, target.Name, used, receiver);
            if (reason != null && arguments != null && arguments.Any(a => a.ArgumentKind == ArgumentKind.DefaultValue))
            {
                string withDefaults = _api.CheckMethod(target.ContainingType, target.Name, _api.FromArguments(target, arguments, includeDefaults: true), receiver);
                reason = withDefaults == null ? null : reason;
            }

            ReportApi(location, display, reason);
        }

        private void CheckExpression(ExpressionSyntax expression)
        {
            if (expression is TypeSyntax && !(expression is SimpleNameSyntax) || IsDeclarationName(expression))
            {
                return;
            }

            TypeInfo info = _model.GetTypeInfo(expression, _cancellationToken);
            bool checkListing = !(expression is SimpleNameSyntax || expression is MemberAccessExpressionSyntax
                || expression is InvocationExpressionSyntax || expression is ElementAccessExpressionSyntax
                || expression is BaseObjectCreationExpressionSyntax || expression is ConditionalAccessExpressionSyntax
                || expression is MemberBindingExpressionSyntax || expression is InterpolatedStringExpressionSyntax);
            CheckTypeUse(info.Type, expression, byName: false, checkListing: checkListing);
            if (!SymbolEqualityComparer.Default.Equals(info.Type, info.ConvertedType))
            {
                CheckTypeUse(info.ConvertedType, expression, byName: false, checkListing: checkListing);
            }

            Conversion conversion = _model.GetConversion(expression, _cancellationToken);
            if (conversion.IsUserDefined && conversion.MethodSymbol != null)
            {
                CheckMethodSymbol(conversion.MethodSymbol, expression, null);
            }

            CheckNumericFormatArgument(expression);
        }

        private void CheckNumericFormatArgument(ExpressionSyntax expression)
        {
            // x.ToString("0.00") on a number: nanoFramework only knows D, F, G, N and X.
            if (!(expression is InvocationExpressionSyntax invocation))
            {
                return;
            }

            var method = _model.GetSymbolInfo(invocation, _cancellationToken).Symbol as IMethodSymbol;
            if (method != null && method.Name == "Format" && method.ContainingType.SpecialType == SpecialType.System_String)
            {
                CheckCompositeFormat(invocation);
                return;
            }

            if (invocation.ArgumentList.Arguments.Count != 1 || method == null || method.Name != "ToString" || !IsNumeric(method.ContainingType))
            {
                return;
            }

            Optional<object> constant = _model.GetConstantValue(invocation.ArgumentList.Arguments[0].Expression, _cancellationToken);
            var format = constant.HasValue ? constant.Value as string : null;
            if (format != null && format.Length > 0 && !SupportedNumericFormat.IsMatch(format))
            {
                Report(Rules.FormatString, invocation.ArgumentList.Arguments[0], format);
            }
        }

        /// <summary>
        /// string.Format("{0:0.00}", x): the same rule as an interpolation hole, for every format item whose argument is a
        /// number (or cannot be told: an argument array built elsewhere).
        /// </summary>
        private void CheckCompositeFormat(InvocationExpressionSyntax invocation)
        {
            var operation = _model.GetOperation(invocation, _cancellationToken) as IInvocationOperation;
            IArgumentOperation formatArgument = operation?.Arguments.FirstOrDefault(a => a.Parameter != null && a.Parameter.Name == "format");
            if (formatArgument == null || !(formatArgument.Value.ConstantValue.Value is string format))
            {
                return;
            }

            ITypeSymbol[] argumentTypes = FormatArgumentTypes(operation, formatArgument);
            foreach (Match item in CompositeFormatItem.Matches(format))
            {
                string itemFormat = item.Groups["format"].Value;
                int index = int.Parse(item.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                bool numeric = argumentTypes == null || index >= argumentTypes.Length || IsNumeric(argumentTypes[index]);
                if (numeric && !SupportedNumericFormat.IsMatch(itemFormat))
                {
                    Report(Rules.FormatString, formatArgument.Syntax, itemFormat);
                }
            }
        }

        /// <summary>The static types of the values after the format (before boxing); null when they cannot be told.</summary>
        private static ITypeSymbol[] FormatArgumentTypes(IInvocationOperation operation, IArgumentOperation formatArgument)
        {
            var values = new List<IOperation>();
            foreach (IArgumentOperation argument in operation.Arguments)
            {
                if (argument == formatArgument || argument.Parameter == null || argument.Parameter.Name == "provider")
                {
                    continue;
                }

                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation array && array.Initializer != null)
                {
                    values.AddRange(array.Initializer.ElementValues);
                }
                else if (argument.ArgumentKind == ArgumentKind.ParamCollection && argument.Value is ICollectionExpressionOperation collection)
                {
                    values.AddRange(collection.Elements);
                }
                else if (argument.Parameter.IsParams)
                {
                    // An argument array (or span) built elsewhere: its element types cannot be told here.
                    return null;
                }
                else
                {
                    values.Add(argument.Value);
                }
            }

            return values.Select(v => (v is IConversionOperation conversion ? conversion.Operand : v).Type).ToArray();
        }

        private void CheckTypeUse(ITypeSymbol type, SyntaxNode at, bool byName, bool checkListing = true)
        {
            if (type == null || type.TypeKind == TypeKind.Error)
            {
                return;
            }

            if (type.TypeKind == TypeKind.Dynamic)
            {
                Report(Rules.Dynamic, at, "dynamic");
                return;
            }

            var array = type as IArrayTypeSymbol;
            if (array != null)
            {
                if (array.Rank > 1)
                {
                    Report(Rules.MultiDimensionalArray, at, array.ToDisplayString());
                }

                CheckTypeUse(array.ElementType, at, byName, checkListing);
                return;
            }

            var named = type as INamedTypeSymbol;
            if (named == null || named.IsAnonymousType || ApiConformance.IsInterpolatedStringHandler(named))
            {
                return;
            }

            if (named.SpecialType == SpecialType.System_Decimal)
            {
                Report(Rules.Decimal, at, "decimal");
                return;
            }

            DiagnosticDescriptor special = SpecialGenericRule(named);
            if (special != null)
            {
                Report(special, at, named.ToDisplayString());
                return;
            }

            if (IsGeneric(named))
            {
                Report(Rules.GenericUse, at, named.ToDisplayString());
                return;
            }

            if ((byName || checkListing) && _api.HasListing && _api.IsFramework(named) && !_api.IsListed(named))
            {
                Report(Rules.ApiMissing, at, named.ToDisplayString(), ": the type does not exist on the device");
            }
        }

        /// <summary>The specific rule for the generic types that have their own (Nullable, tuples, Span, Task), or null.</summary>
        private static DiagnosticDescriptor SpecialGenericRule(ITypeSymbol type)
        {
            var named = type as INamedTypeSymbol;
            if (named == null)
            {
                return null;
            }

            if (named.IsTupleType || ApiSpelling.FullName(named).StartsWith("System.ValueTuple", StringComparison.Ordinal)
                || ApiSpelling.FullName(named).StartsWith("System.Tuple", StringComparison.Ordinal))
            {
                return Rules.Tuple;
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return Rules.NullableValue;
            }

            string name = ApiSpelling.FullName(named);
            if (name == "System.Span`1" || name == "System.ReadOnlySpan`1" || name == "System.Memory`1" || name == "System.ReadOnlyMemory`1")
            {
                return Rules.Span;
            }

            if (named.ContainingNamespace != null && named.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks")
            {
                return Rules.Task;
            }

            return null;
        }

        private bool IsForbidden(ISymbol symbol, SyntaxNodeOrToken at)
        {
            return IsForbidden(symbol, at.GetLocation());
        }

        /// <summary>The members the team keeps tripping over, with the replacement (BannedSymbols.txt has them too).</summary>
        private bool IsForbidden(ISymbol symbol, Location location)
        {
            INamedTypeSymbol type = symbol.ContainingType;
            if (type == null || !_api.IsFramework(symbol))
            {
                return false;
            }

            string typeName = ApiSpelling.FullName(type);
            string advice = null;
            var method = symbol as IMethodSymbol;
            if (typeName == "System.DateTime" && symbol is IPropertySymbol && symbol.Name == "Now")
            {
                advice = "use DateTime.UtcNow (the device has no time zone)";
            }
            else if (typeName == "System.String" && method != null && symbol.Name == "Join")
            {
                advice = "use a StringBuilder";
            }
            else if (typeName == "System.String" && method != null && symbol.Name == "Replace")
            {
                advice = "use StringBuilder.Replace";
            }
            else if (method != null && symbol.Name == "WaitOne" && method.Parameters.Length == 1 && IsWaitHandle(type))
            {
                advice = "use WaitOne(millisecondsTimeout, false)";
            }

            if (advice == null)
            {
                return false;
            }

            Report(Rules.ForbiddenMember, location, type.Name + "." + symbol.Name, advice);
            return true;
        }

        private static bool IsWaitHandle(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol t = type; t != null; t = t.BaseType)
            {
                if (ApiSpelling.FullName(t) == "System.Threading.WaitHandle")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsGeneric(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol t = type; t != null; t = t.ContainingType)
            {
                if (t.IsGenericType || t.IsUnboundGenericType)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsNumeric(ITypeSymbol type)
        {
            if (type == null)
            {
                return false;
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsDeclarationName(ExpressionSyntax expression)
        {
            // Names in "nameof", labels and the like carry no runtime reference.
            return expression.Parent is NameColonSyntax || expression.Parent is NameEqualsSyntax && !(expression.Parent.Parent is AnonymousObjectMemberDeclaratorSyntax);
        }

        private static bool InsideNameof(SyntaxNode node)
        {
            for (SyntaxNode n = node.Parent; n != null; n = n.Parent)
            {
                if (n is InvocationExpressionSyntax invocation && invocation.Expression is IdentifierNameSyntax id && id.Identifier.ValueText == "nameof")
                {
                    return true;
                }

                if (n is StatementSyntax || n is MemberDeclarationSyntax)
                {
                    return false;
                }
            }

            return false;
        }

        private static string DeclarationName(SyntaxNode declaration)
        {
            switch (declaration)
            {
                case BaseTypeDeclarationSyntax type:
                    return type.Identifier.ValueText;
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case DelegateDeclarationSyntax del:
                    return del.Identifier.ValueText;
                case LocalFunctionStatementSyntax local:
                    return local.Identifier.ValueText;
                default:
                    return declaration != null ? declaration.ToString() : "?";
            }
        }

        private void ReportApi(SyntaxNodeOrToken at, string display, string reason)
        {
            ReportApi(at.GetLocation(), display, reason);
        }

        private void ReportApi(Location location, string display, string reason)
        {
            if (reason != null)
            {
                Report(Rules.ApiMissing, location, display, reason);
            }
        }

        private void Report(DiagnosticDescriptor rule, SyntaxNode node, params object[] args)
        {
            Report(rule, node.GetLocation(), args);
        }

        private void Report(DiagnosticDescriptor rule, Location location, params object[] args)
        {
            List<TextSpan> spans;
            if (!_reported.TryGetValue(rule.Id, out spans))
            {
                spans = new List<TextSpan>();
                _reported.Add(rule.Id, spans);
            }

            TextSpan span = location.SourceSpan;
            foreach (TextSpan earlier in spans)
            {
                if (earlier.Contains(span))
                {
                    return;
                }
            }

            spans.Add(span);
            _report(Diagnostic.Create(rule, location, args));
        }
    }
}
