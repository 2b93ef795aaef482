-- Builds through the server: workspace/executeCommand with envbuilder.build,
-- envbuilder.buildAndPush and envbuilder.cancelBuild, sent asynchronously (the request stays open
-- for the whole build; the editor goes on meanwhile).
local util = require('envbuilder.util')
local handlers = require('envbuilder.handlers')

local M = {}

local levels = vim.log.levels
local REQUEST_CANCELLED = -32800

-- Builds waiting for their answer: pending[client_id][request_id] = { label, target, push }.
-- Neovim drops answers with RequestCancelled (-32800) before they reach a handler, so a build that
-- was cancelled is settled when envbuilder.cancelBuild answers, not by its own answer.
M.pending = {}

-- When the plugin last reported the end of a build, per client id (util.uv.now() ms).
M.last_report = {}

local function describe(path)
  return vim.fn.fnamemodify(path, ':~:.')
end

--- The envbuilder client for a buffer: one attached to it (ours or lspconfig's), else one whose
--- root holds the buffer's file (or the current directory for unnamed buffers).
function M.client_for(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local envbuilder = require('envbuilder')
  local name = envbuilder.options.name
  local file = vim.api.nvim_buf_get_name(bufnr)
  if util.get_option(bufnr, 'buftype') ~= '' or file:match('^%a[%w+.-]*://') then
    file = '' -- the build log, a terminal, ...: go by the current directory
  end
  local path = util.normalize(file ~= '' and file or vim.fn.getcwd())
  -- The client this plugin started for the buffer's root (still starting, maybe: Neovim 0.7 lists
  -- only initialized clients).
  local own = envbuilder.clients[(util.find_root(path))]
  own = own and vim.lsp.get_client_by_id(own)
  if util.client_alive(own) then
    return own
  end
  local clients = {}
  for _, client in ipairs(util.all_clients()) do
    if client.name == name and util.client_alive(client) then
      table.insert(clients, client)
    end
  end
  for _, client in ipairs(clients) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  local best, best_len = nil, -1
  for _, client in ipairs(clients) do
    local root = client.config.root_dir
    if root then
      root = util.normalize(root)
      if util.is_under(path, root) and #root > best_len then
        best, best_len = client, #root
      end
    end
  end
  return best
end

--- What a build from this buffer builds: its devcontainer.json; else the workspace root when it
--- has a devcontainer configuration; else the buffer's Dockerfile; else the root folder.
function M.target_for(bufnr, client)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file ~= '' and util.get_option(bufnr, 'buftype') == '' then
    local path = util.normalize(file)
    if util.is_devcontainer(path) then
      return path
    end
    local root, found = util.find_root(path)
    if found then
      return root
    end
    if util.get_option(bufnr, 'filetype') == 'dockerfile' or util.is_dockerfile_name(path) then
      return path
    end
    return root
  end
  if client and client.config.root_dir then
    return util.normalize(client.config.root_dir)
  end
  return util.normalize(vim.fn.getcwd())
end

-- Calls fn(client) once the client has answered `initialize` (at most 10 s).
local function when_initialized(client, fn)
  local waited = 0
  local function check()
    if not util.client_alive(client) then
      util.notify('the language server stopped before it was ready', levels.ERROR)
    elseif client.initialized then
      fn(client)
    elseif waited >= 10000 then
      util.notify('the language server did not start in 10 s', levels.ERROR)
    else
      waited = waited + 50
      vim.defer_fn(check, 50)
    end
  end
  check()
end

local function no_client()
  util.notify('no envbuilder language server for this buffer: open a Dockerfile or devcontainer.json '
    .. "of the workspace (with require('envbuilder').setup() called or the server configured in lspconfig)",
    levels.ERROR)
end

-- The buffer, client and target that opts (of build() and cancel()) name; nothing (after saying
-- so) when the buffer has no envbuilder client.
local function resolve(opts)
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local client = M.client_for(bufnr)
  if not client then
    return no_client()
  end
  return bufnr, client, opts.target and util.normalize(opts.target) or M.target_for(bufnr, client)
end

local function finish_text(entry, result)
  if entry.push then
    local pushed = type(result) == 'table' and result.pushed
    if type(pushed) == 'table' and #pushed > 0 then
      return 'pushed ' .. table.concat(pushed, ', ')
    end
    return 'pushed ' .. describe(entry.target) .. ((result and result.digest) and (' (' .. result.digest .. ')') or '')
  end
  local digest = type(result) == 'table' and result.digest
  return 'built ' .. describe(entry.target) .. (digest and (': ' .. digest) or '')
end

--- Starts a build.
---   opts.push      build and push (envbuilder.buildAndPush)
---   opts.target    path of a workspace folder, devcontainer.json or Dockerfile (default: from bufnr)
---   opts.overrides table sent as the command's second argument (image, buildArgs, noCache, ...)
---   opts.bufnr     buffer to take the client and target from (default: current)
---   opts.on_done   function(err, result) called when the build ends (err = {code, message})
function M.build(opts)
  opts = opts or {}
  local bufnr, client, target = resolve(opts)
  if not client then
    return
  end
  local command = opts.push and 'envbuilder.buildAndPush' or 'envbuilder.build'
  local arguments = { vim.uri_from_fname(target) }
  if opts.overrides and next(opts.overrides) ~= nil then
    table.insert(arguments, opts.overrides)
  end
  local entry = { target = target, push = opts.push and true or false, on_done = opts.on_done }
  local verb = entry.push and 'build and push' or 'build'
  when_initialized(client, function()
    local client_id = client.id
    local function on_answer(err, result)
      local waiting = M.pending[client_id]
      if not (waiting and waiting[entry.request_id]) then
        return -- already settled (cancelled, or the server exited)
      end
      waiting[entry.request_id] = nil
      handlers.progress_text[client_id] = nil
      M.last_report[client_id] = util.uv.now()
      if err then
        local message = type(err) == 'table' and err.message or tostring(err)
        if type(err) == 'table' and err.code == REQUEST_CANCELLED then
          handlers.log_event(verb .. ' cancelled: ' .. describe(target))
          util.notify(verb .. ' of ' .. describe(target) .. ' cancelled', levels.WARN)
        else
          handlers.log_event(verb .. ' failed: ' .. describe(target) .. ': ' .. tostring(message))
          util.notify(verb .. ' of ' .. describe(target) .. ' failed: ' .. tostring(message), levels.ERROR)
        end
      else
        local text = finish_text(entry, result)
        handlers.log_event(text)
        util.notify(text, levels.INFO)
      end
      if entry.on_done then
        entry.on_done(err, result)
      end
    end
    handlers.log_event(verb .. ' ' .. describe(target))
    local ok, request_id = util.call(client, 'request', 'workspace/executeCommand',
      { command = command, arguments = arguments }, on_answer, bufnr)
    if not ok then
      util.notify('could not send ' .. command .. ': the language server has stopped', levels.ERROR)
      return
    end
    entry.request_id = request_id
    M.pending[client_id] = M.pending[client_id] or {}
    M.pending[client_id][request_id] = entry
    util.notify(verb .. ' of ' .. describe(target) .. ' started', levels.INFO)
  end)
end

-- Settles the pending builds of a client that will never be answered.
local function settle(client_id, filter, why, level)
  local waiting = M.pending[client_id] or {}
  for request_id, entry in pairs(waiting) do
    if filter(entry) then
      waiting[request_id] = nil
      M.last_report[client_id] = util.uv.now()
      local verb = entry.push and 'build and push' or 'build'
      handlers.log_event(verb .. ' ' .. why .. ': ' .. describe(entry.target))
      util.notify(verb .. ' of ' .. describe(entry.target) .. ' ' .. why, level)
      if entry.on_done then
        entry.on_done({ code = REQUEST_CANCELLED, message = why }, nil)
      end
    end
  end
  handlers.progress_text[client_id] = nil
end

--- Cancels the builds of the buffer's workspace (envbuilder.cancelBuild).
---   opts.bufnr, opts.target as for build(); opts.on_done(err, result)
function M.cancel(opts)
  opts = opts or {}
  local bufnr, client, target = resolve(opts)
  if not client then
    return
  end
  local root = client.config.root_dir and util.normalize(client.config.root_dir) or target
  when_initialized(client, function()
    local client_id = client.id
    util.call(client, 'request', 'workspace/executeCommand',
      { command = 'envbuilder.cancelBuild', arguments = { vim.uri_from_fname(target) } },
      function(err, result)
        if err then
          util.notify('cancel failed: ' .. tostring(type(err) == 'table' and err.message or err), levels.ERROR)
        else
          local n = type(result) == 'table' and tonumber(result.cancelled) or 0
          if n > 0 then
            -- Their own answers (RequestCancelled) never reach us: settle them here.
            settle(client_id, function(entry)
              return util.is_under(entry.target, root) or util.is_under(target, entry.target)
                or entry.target == target
            end, 'cancelled', levels.WARN)
          else
            util.notify('no build to cancel for ' .. describe(target), levels.INFO)
          end
        end
        if opts.on_done then
          opts.on_done(err, result)
        end
      end, bufnr)
  end)
end

--- The server exited: its builds will never be answered.
function M.client_exited(client_id)
  if M.pending[client_id] and next(M.pending[client_id]) then
    settle(client_id, function()
      return true
    end, 'ended: the language server exited', levels.ERROR)
  end
  M.pending[client_id] = nil
end

--- Whether a build is waiting for its answer (on any client, or on the given one).
function M.running(client_id)
  for id, waiting in pairs(M.pending) do
    if (client_id == nil or id == client_id) and next(waiting) then
      return true
    end
  end
  return false
end

return M
