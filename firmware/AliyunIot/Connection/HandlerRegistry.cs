using System;
using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// The application's callbacks: message handlers (asked in registration order until one takes the message),
    /// status-event subscribers and delivery handlers, and how they are run: an exception is logged and counted,
    /// never allowed to end the worker thread. Handlers may be added from any thread while the worker runs (it reads
    /// an immutable snapshot).
    /// </summary>
    internal sealed class HandlerRegistry
    {
        private readonly object _gate = new object();
        private readonly ILog _log;
        private readonly string _logSource;
        private readonly ArrayList _handlers = new ArrayList();
        private IMessageHandler[] _handlerSnapshot = new IMessageHandler[0];
        private ConnectionStatusChangedHandler _statusHandlers;
        private long _handlerErrors;
        private long _unhandled;

        internal HandlerRegistry(ILog log, string logSource)
        {
            _log = log;
            _logSource = logSource;
        }

        /// <summary>Exceptions thrown by any callback.</summary>
        internal long HandlerErrors
        {
            get { lock (_gate) { return _handlerErrors; } }
        }

        /// <summary>Messages no handler took.</summary>
        internal long Unhandled
        {
            get { lock (_gate) { return _unhandled; } }
        }

        /// <summary>The message handlers in registration order (a snapshot; never changed in place).</summary>
        internal IMessageHandler[] Handlers
        {
            get { lock (_gate) { return _handlerSnapshot; } }
        }

        internal void AddHandler(IMessageHandler handler)
        {
            lock (_gate)
            {
                _handlers.Add(handler);
                IMessageHandler[] snapshot = new IMessageHandler[_handlers.Count];
                for (int i = 0; i < snapshot.Length; i++)
                {
                    snapshot[i] = (IMessageHandler)_handlers[i];
                }

                _handlerSnapshot = snapshot;
            }
        }

        internal void AddStatusHandler(ConnectionStatusChangedHandler handler)
        {
            lock (_gate)
            {
                _statusHandlers = (ConnectionStatusChangedHandler)Delegate.Combine(_statusHandlers, handler);
            }
        }

        internal void RemoveStatusHandler(ConnectionStatusChangedHandler handler)
        {
            lock (_gate)
            {
                _statusHandlers = (ConnectionStatusChangedHandler)Delegate.Remove(_statusHandlers, handler);
            }
        }

        /// <summary>Offers a message to each handler in turn until one takes it.</summary>
        internal void Dispatch(string topic, byte[] payload)
        {
            IMessageHandler[] handlers = Handlers;
            for (int i = 0; i < handlers.Length; i++)
            {
                try
                {
                    if (handlers[i].Handle(topic, payload))
                    {
                        return;
                    }
                }
                catch (Exception e)
                {
                    CountError();
                    _log.Write(LogLevel.Error, _logSource, handlers[i].GetType().Name + " threw " + e.GetType().Name + " on a " + payload.Length.ToString() + "-byte message: " + e.Message);
                    return;
                }
            }

            lock (_gate)
            {
                _unhandled++;
            }

            _log.Write(LogLevel.Debug, _logSource, "no handler took a message on " + topic);
        }

        /// <summary>Tells a publisher how its QoS 1 message ended.</summary>
        internal void Deliver(DeliveryHandler handler, object token, DeliveryOutcome outcome, int reasonCode)
        {
            try
            {
                handler(token, outcome, reasonCode);
            }
            catch (Exception e)
            {
                CountError();
                _log.Write(LogLevel.Error, _logSource, "a delivery handler threw " + e.GetType().Name + ": " + e.Message);
            }
        }

        /// <summary>Raises the status event on the calling thread.</summary>
        internal void RaiseStatus(ConnectionStatus status, string reason)
        {
            ConnectionStatusChangedHandler handlers;
            lock (_gate)
            {
                handlers = _statusHandlers;
            }

            if (handlers == null)
            {
                return;
            }

            try
            {
                handlers(status, reason);
            }
            catch (Exception e)
            {
                CountError();
                _log.Write(LogLevel.Error, _logSource, "a status handler threw " + e.GetType().Name + ": " + e.Message);
            }
        }

        private void CountError()
        {
            lock (_gate)
            {
                _handlerErrors++;
            }
        }
    }
}
